"""Request and response bodies of the hub API (they also make the OpenAPI docs at /docs)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import AfterValidator, BaseModel, Field

from companion.hub import limits

# Text a client sends: refused (422) when a database could not store it (NUL, lone surrogates).
SafeText = Annotated[str, AfterValidator(limits.safe_text)]
# Path and query parameters, bounded like the columns they are compared with.
GroupId = Annotated[int, Path(ge=1, le=limits.MAX_ID, description="a group's id")]
TextParam = Annotated[str, Path(min_length=1, max_length=limits.MAX_TEXT_PARAM),
                      AfterValidator(limits.safe_text)]
OptionalTextQuery = Annotated[str | None, Query(max_length=limits.MAX_TEXT_PARAM),
                              AfterValidator(limits.safe_text)]


class ErrorBody(BaseModel):
    code: str = Field(description="stable, for programs: unauthorized, forbidden, too_large...")
    message: str = Field(description="for people")


class ErrorOut(BaseModel):
    error: ErrorBody


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route: the error statuses it may answer, so the OpenAPI lists
    every status the hub returns (a client generated from it knows them all)."""
    return {status: {"model": ErrorOut, "description": HTTPStatus(status).phrase}
            for status in statuses}


def binary_body(media_type: str = "application/octet-stream") -> dict[str, Any]:
    """The ``openapi_extra`` of a route that streams its body itself (a file, a photo, a
    courier bundle): the OpenAPI shows bytes there, and the schema fuzz test sends some."""
    return {"requestBody": {"required": True, "content": {
        media_type: {"schema": {"type": "string", "format": "binary"}}}}}


class LoginIn(BaseModel):
    username: SafeText = Field(max_length=200)
    password: SafeText = Field(max_length=1000)
    device_id: SafeText = Field(min_length=1, max_length=64,
                                description="the library's device id: one token per device")
    device_name: SafeText = Field("", max_length=120)


class RegisterIn(LoginIn):
    invite_code: SafeText = Field(max_length=64)


class JoinIn(BaseModel):
    invite_code: SafeText = Field(max_length=64)


class GroupOut(BaseModel):
    id: int
    name: str
    role: str | None = None
    invite_code: str | None = Field(None, description="shown to the group's trainers only")


class ProfileOut(BaseModel):
    name: str
    motto: str
    photo_sha256: str | None


class AccountOut(BaseModel):
    account_id: int
    username: str
    is_trainer: bool
    groups: list[GroupOut]
    profile: ProfileOut


class TokenOut(BaseModel):
    token: str = Field(description="send as Authorization: Bearer TOKEN")
    token_type: str = "bearer"
    expires_at: float = Field(description="seconds since the epoch; renewed while in use")
    account: AccountOut


class SyncIn(BaseModel):
    cursor: str | None = Field(None, max_length=100,
                               description="from the previous response; null at first")
    changes: list[Any] = Field(default_factory=list,
                               description="change log entries in their wire form")
    limit: int | None = Field(None, ge=1, le=limits.MAX_INT64,
                              description="most changes to pull in this response")


class Accepted(BaseModel):
    change_id: str
    seq: int


class Rejected(BaseModel):
    change_id: str | None
    index: int = Field(description="position in the pushed list")
    code: str = Field(description="invalid | forbidden | conflict | quota: final, do not retry")
    reason: str


class PulledChange(BaseModel):
    seq: int
    change_id: str
    author_id: int
    device_id: str
    device_seq: int
    kind: str
    entity_id: str
    op: str
    payload: dict[str, Any]
    created_at: str


class SyncOut(BaseModel):
    accepted: list[Accepted]
    rejected: list[Rejected]
    changes: list[PulledChange]
    cursor: str
    more: bool = Field(description="true: call again with the new cursor for the next page")
    reset: bool = Field(False, description="true: the pull started again from the beginning")
    resend_after_seq: int | None = Field(
        None, description="only after a restore of the hub: push again every own change this "
                          "hub numbered above it")


class MemberOut(BaseModel):
    account_id: int
    username: str
    role: str
    name: str
    motto: str
    photo_sha256: str | None
    joined_at: float  # the hub's clock, seconds since the epoch ("in the group since")


class CommentOut(BaseModel):
    comment_id: str
    group_id: int
    lesson_id: str
    author_id: int
    author_name: str | None
    reply_to: str | None
    body: str
    edited: bool
    deleted: bool
    seq: int
    last_seq: int
    hidden: bool = Field(False, description="hidden by a trainer: the text is for its author")
    hidden_reason: str | None = None


class MissingIn(BaseModel):
    sha256: list[SafeText] = Field(max_length=20_000)


class MissingOut(BaseModel):
    missing: list[str]
    # Of the missing files, those with a cut upload the hub can go on with: the bytes it holds
    # (send the rest with ``Content-Range: bytes N-LAST/SIZE``).
    partial: dict[str, int] = Field(default_factory=dict)


class MediaOut(BaseModel):
    sha256: str
    size: int
    stored: bool = Field(description="false when the hub had the file already")


class PublishIn(BaseModel):
    manifest: SafeText = Field(description="manifest.json of the .cpack, exactly as signed")
    signature: SafeText | None = Field(None,
                                       description="the Ed25519 signature, as in the .cpack")


class PackOut(BaseModel):
    pack_id: str
    version: str
    title: str
    language: str
    size: int
    files: int
    manifest_sha256: str
    signed: bool
    published_at: float


class PublishOut(BaseModel):
    pack_id: str
    version: str
    size: int
    files: int
    manifest_sha256: str


class ManifestOut(BaseModel):
    pack_id: str
    version: str
    manifest: str
    signature: str | None
    manifest_sha256: str


class HubInfo(BaseModel):
    protocol: int
    version: str
    limits: dict[str, int]
    courier: dict[str, str] | None = None  # the hub's public courier keys (box_key, sign_key)


class Health(BaseModel):
    status: str
    database: str
    last_seq: int


# The trainer's workspace (issue 10, hub/routes/trainer.py).
MAX_SPLIT = 50


class HideIn(BaseModel):
    reason: SafeText = Field(min_length=1, max_length=limits.MAX_HIDE_REASON,
                             description="shown to the author: 'hidden by the trainer: REASON'")


class SplitIn(BaseModel):
    into: int = Field(ge=2, le=MAX_SPLIT, description="how many new groups")


class InviteOut(BaseModel):
    id: int
    name: str
    invite_code: str


class SplitGroupOut(InviteOut):
    learners: int


class SplitOut(BaseModel):
    groups: list[SplitGroupOut]


class DeviceKeysIn(BaseModel):
    sign_key: SafeText = Field(min_length=40, max_length=64, description="Ed25519, base64")
    box_key: SafeText = Field(min_length=40, max_length=64, description="X25519, base64")


class CourierOut(BaseModel):
    answer: str  # the sealed answer, base64
    media: list[dict[str, Any]]  # {sha256, size}: files the courier brings onto the stick
    ticket: str | None
    accepted: int
    rejected: int
