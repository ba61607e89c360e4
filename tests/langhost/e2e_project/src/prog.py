"""The language host's end-to-end program: a file-writing dynamic resource, config, a secret input,
an optional StackReference, and switches to fail or to block (for the Ctrl-C test)."""

import time
from pathlib import Path

import greeting
import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider, UpdateResult


class NoteProvider(ResourceProvider):
    """A text file: ``path`` (replace on change) holding ``content`` (update on change)."""

    def create(self, props):
        Path(props["path"]).write_text(props["content"])
        return CreateResult(id_=props["path"], outs=dict(props))

    def diff(self, _id, olds, news):
        changed = [key for key in ("path", "content") if olds.get(key) != news.get(key)]
        return DiffResult(changes=bool(changed), replaces=[key for key in changed if key == "path"])

    def update(self, _id, _olds, news):
        Path(news["path"]).write_text(news["content"])
        return UpdateResult(outs=dict(news))

    def read(self, id_, props):
        path = Path(id_)
        return ReadResult(id_=id_, outs={**props, "content": path.read_text() if path.exists() else ""})

    def delete(self, id_, _props):
        Path(id_).unlink(missing_ok=True)


class Note(Resource):
    """A note file."""

    content: pulumi.Output[str]

    def __init__(self, name, path, content, token):
        super().__init__(NoteProvider(), name, {"path": path, "content": content, "token": token})


config = pulumi.Config()
if config.get("reference"):
    pulumi.export("referenced", pulumi.StackReference(config.require("reference")).get_output("content"))
else:
    note = Note("note", config.require("path"), config.require("content"), config.require_secret("token"))
    pulumi.export("content", note.content)
    pulumi.export("greeting", greeting.TEXT)
if config.get_bool("fail"):
    greeting.fail("asked to fail")
if config.get("started"):  # block once the note exists, with its provider running (the Ctrl-C test)

    def block(content):
        Path(config.require("started")).write_text(content)
        time.sleep(120)

    note.content.apply(block)
