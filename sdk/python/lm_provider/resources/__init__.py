"""Resource logic: check / diff / create / read / update / delete per resource, free of Pulumi types,
so the dynamic providers (``lm_provider.dynamic``) and the planned native provider share it."""
