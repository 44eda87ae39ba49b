"""Webhook views on the `webhooks` resource: `unwrap` (verify a delivery, return the typed event), `verify`
(verify a delivery that is not an event), `release` (leave a delivery id unclaimed) and `sign` (for tests)."""

from __future__ import annotations

from dataclasses import replace

from ...ir import model as m
from ...ir import types as t
from ...parse.names import NameScope, upper_snake
from ..annotations import Annotator, Needs, python_string
from ..text import docstring
from ..views import MethodView, ResourceModule, ResourceView
from .common import has_webhooks, webhook_secret_env
from .sessions import frame_tag


class Webhooks:
    """The webhook methods of one API and the type of the events they return."""

    def __init__(self, api: m.Api, annotator: Annotator) -> None:
        self.api = api
        self.annotator = annotator

    def event_type(self, needs: Needs) -> tuple[str, str] | None:
        """(annotation, runtime value) of the webhook bodies' union, or None without signed webhooks."""
        sig = self.api.webhook_signature
        if sig is None or not has_webhooks(self.api):
            return None
        refs: list[t.TypeRef] = []
        for hook in self.api.webhooks:
            if hook.event is not None and hook.event not in refs:
                refs.append(hook.event)
        names = {r.name for r in refs if isinstance(r, t.Ref)}
        if len(refs) > 1 and len(names) == len(refs):
            for model in self.api.models:
                if (
                    isinstance(model, m.UnionModel)
                    and {getattr(v, "name", None) for v in model.variants} == names
                ):
                    ref = t.Ref(model.name)  # an unknown event type is reported, never returned
                    return self.annotator.known_variants(ref, needs), self.annotator.closed(ref, needs)
        if len(refs) == 1:
            return self.annotator.known_variants(refs[0], needs), self.annotator.closed(refs[0], needs)
        union = self.annotator.render(t.Union(tuple(refs)), needs)
        tagged = [self.tag_field(r, sig.event_type_field) for r in refs]
        if all(tagged) and len(set(tagged)) == 1:
            needs.typing.add("Annotated")
            needs.pydantic.add("Field")
            annotated = f"Annotated[{union}, Field(discriminator={python_string(str(tagged[0]))})]"
            return annotated, annotated
        return union, union

    def tag(self, model: m.ObjectModel, wire: str) -> str | None:
        """The event type `model` declares in its `wire` field (None: it declares no single one)."""
        return frame_tag(self.annotator.models, model, wire)

    def tag_field(self, ref: t.TypeRef, wire: str) -> str | None:
        """The python name of the event type field of the event `ref` (None: no single tag)."""
        model = self.annotator.models.get(ref.name) if isinstance(ref, t.Ref) else None
        if not isinstance(model, m.ObjectModel) or self.tag(model, wire) is None:
            return None
        return next(f.name.python for f in model.fields if f.name.wire == wire)

    def webhook_views(self, needs: Needs, taken: set[str], constants: set[str]) -> list[MethodView]:
        """`unwrap`, `verify`, `release` and `sign` (one `WebhookSpec` constant; [] without signed events)."""
        sig = self.api.webhook_signature
        event = self.event_type(needs)
        if sig is None or event is None:
            return []
        annotation, value = event
        scope = NameScope(taken)
        names = {n: scope.claim(n) for n in ("unwrap", "verify", "release", "sign")}
        constant = NameScope(constants).claim("_" + upper_snake(names["unwrap"]) + "_WEBHOOK")
        needs.runtime |= {
            "WebhookSpec",
            "WebhookHeaders",
            "WebhookSecret",
            "ReplayCache",
            "NotGiven",
            "NOT_GIVEN",
            "unwrap_webhook",
            "verify_webhook",
            "release_webhook",
            "sign_webhook",
        }
        needs.typing.add("cast")
        needs.datetime.add("datetime")
        text, number, raw = needs.builtin("str"), needs.builtin("float"), needs.builtin("bytes")
        whole, mapping = needs.builtin("int"), needs.builtin("dict")
        checks = (
            "secret: WebhookSecret | None = None",
            f"tolerance: {number} | None = None",
            f"now: {number} | _dt.datetime | None = None",
            "replay_cache: ReplayCache | NotGiven | None = NOT_GIVEN",
        )
        passed = "secret=secret, tolerance=tolerance, now=now, replay_cache=replay_cache"
        unwrap = (
            f"cast({python_string(annotation)}, unwrap_webhook({constant}, body, headers, "
            f"event_type={value}, {passed}))"
        )
        sign_params = [
            f"secret: {raw} | {text} | None = None",
            f"timestamp: {number} | _dt.datetime | None = None",
            f"delivery_id: {text} | None = None",
        ]
        sign_args = ["secret=secret", "timestamp=timestamp", "delivery_id=delivery_id"]
        if sig.secret_ref_header:
            sign_params.append(f"secret_ref: {text} | None = None")
            sign_args.append("secret_ref=secret_ref")
        if sig.secret_version_header:
            sign_params.append(f"secret_version: {whole} | {text} | None = None")
            sign_args.append("secret_version=secret_version")
        body = f"body: {raw} | {text}"

        def view(
            key: str, positional: tuple[str, ...], params: tuple[str, ...], returns: str, doc: str, call: str
        ) -> MethodView:
            first = key == "unwrap"
            return MethodView(
                name=names[key],
                constant=constant,
                operation=self.webhook_spec(sig) if first else "",
                params=params,
                returns=returns,
                async_returns=returns,
                doc=docstring(doc, "        "),
                call=call,
                async_call=call,
                async_def=False,
                raw=False,
                operation_id="",
                positional=positional,
            )

        return [
            view(
                "unwrap",
                (body, "headers: WebhookHeaders"),
                checks,
                annotation,
                self._unwrap_doc(sig, names),
                unwrap,
            ),
            view(
                "verify",
                (body, "headers: WebhookHeaders"),
                checks,
                raw,
                self._verify_doc(sig, names),
                f"verify_webhook({constant}, body, headers, {passed})",
            ),
            view(
                "release",
                ("headers: WebhookHeaders",),
                ("replay_cache: ReplayCache | NotGiven | None = NOT_GIVEN",),
                "None",
                self._release_doc(sig, names),
                f"release_webhook({constant}, headers, replay_cache=replay_cache)",
            ),
            view(
                "sign",
                (body,),
                tuple(sign_params),
                f"{mapping}[{text}, {text}]",
                self._sign_doc(sig),
                f"sign_webhook({constant}, body, {', '.join(sign_args)})",
            ),
        ]

    def webhook_spec(self, sig: m.WebhookSignature) -> str:
        args = [
            f"signed_payload={python_string(sig.signed_payload)}",
            f"signature_header={python_string(sig.signature_header)}",
        ]
        if sig.signature_prefix:
            args.append(f"signature_prefix={python_string(sig.signature_prefix)}")
        if sig.timestamp_header:
            args.append(f"timestamp_header={python_string(sig.timestamp_header)}")
        if sig.id_header:
            args.append(f"id_header={python_string(sig.id_header)}")
        args.append(f"secret_encoding={python_string(sig.secret_encoding)}")
        if sig.secret_lengths:
            args.append(f"secret_lengths={sig.secret_lengths!r}")
        args.append(f"tolerance_seconds={sig.tolerance_seconds!r}")
        args.append(f"event_type_field={python_string(sig.event_type_field)}")
        env = webhook_secret_env(self.api)
        if env:
            args.append(f"secret_env={python_string(env)}")
        if sig.signature_version_header:
            args.append(f"signature_version_header={python_string(sig.signature_version_header)}")
            versions = ", ".join(python_string(v) for v in sig.signature_versions)
            args.append(f"signature_versions=({versions},)")
        if sig.secret_ref_header:
            args.append(f"secret_ref_header={python_string(sig.secret_ref_header)}")
        if sig.secret_version_header:
            args.append(f"secret_version_header={python_string(sig.secret_version_header)}")
        return f"WebhookSpec({', '.join(args)})"

    def _checks(self, sig: m.WebhookSignature) -> str:
        checks = []
        if sig.signature_version_header:
            accepted = " or ".join(f"`{v}`" for v in sig.signature_versions)
            checks.append(f"the `{sig.signature_version_header}` signature version ({accepted})")
        checks.append(f"the `{sig.signature_header}` HMAC-SHA256 signature over `{sig.signed_payload}`")
        if sig.timestamp_header:
            checks.append(f"the `{sig.timestamp_header}` timestamp (within `tolerance` seconds of now)")
        if sig.id_header:
            checks.append(f"that the `{sig.id_header}` delivery was not handed over before")
        return "Checks " + ", ".join(checks)

    def _secret_arg(self, sig: m.WebhookSignature) -> list[str]:
        env = webhook_secret_env(self.api)
        length = " or ".join(str(n) for n in sig.secret_lengths)
        form = f"{sig.secret_encoding} text" + (f" decoding to {length} bytes" if length else "")
        lines = [f"    secret: The signing secret as the API issues it ({form}) or the raw key as bytes;"]
        if sig.secret_ref_header and sig.secret_version_header:
            lines.append(
                "        several in a list, or a dict keyed by `(secret ref, version)` pairs, versions"
            )
            lines.append("        or refs, to pick the key the delivery names in its headers.")
        elif sig.secret_ref_header or sig.secret_version_header:
            what = "secret ref" if sig.secret_ref_header else "secret version"
            lines.append(
                f"        several in a list, or a dict keyed by {what} to pick the key a delivery names."
            )
        else:
            lines.append("        several in a list (any of them may have signed the delivery).")
        if env:
            lines.append(f"        Defaults to the `{env}` environment variable.")
        return lines

    def _check_args(self, sig: m.WebhookSignature) -> list[str]:
        return [
            "    body: The raw request body, exactly as received (bytes).",
            "    headers: The request headers (any mapping; names in any case).",
            *self._secret_arg(sig),
            f"    tolerance: Seconds a timestamp may be from now; default {sig.tolerance_seconds}.",
            "    now: The current time (Unix seconds or a datetime), for tests.",
            "    replay_cache: Where delivery ids are remembered: by default a process-wide",
            "        `WebhookReplayCache`; pass your own (shared, or backed by a database), or None to skip",
            "        the replay check.",
        ]

    def _unwrap_doc(self, sig: m.WebhookSignature, names: dict[str, str]) -> str:
        lines = [
            "Verify a webhook delivery and return its event.",
            "",
            self._checks(sig) + ", then parses the body.",
            "",
            "The delivery id is remembered only once the body parsed as an event; call",
            f"`{names['release']}(headers)` when handling the event fails, so that the sender's redelivery",
            "is accepted.",
            "",
            "Args:",
            *self._check_args(sig),
            "",
            "Raises:",
            "    WebhookVerificationError: A missing header, a bad signature, a stale timestamp or a replay.",
            "    WebhookPayloadError: An authentic body that is not a known event.",
            "    ConfigurationError: No secret, or one that is not in a form the API issues.",
        ]
        return "\n".join(lines)

    def _verify_doc(self, sig: m.WebhookSignature, names: dict[str, str]) -> str:
        lines = [
            "Verify a signed delivery that is not an event and return its body, unparsed.",
            "",
            self._checks(sig) + f", as `{names['unwrap']}` does, and remembers the delivery id; call",
            f"`{names['release']}(headers)` when handling the delivery fails.",
            "",
            "Args:",
            *self._check_args(sig),
            "",
            "Raises:",
            "    WebhookVerificationError: A missing header, a bad signature, a stale timestamp or a replay.",
            "    ConfigurationError: No secret, or one that is not in a form the API issues.",
        ]
        return "\n".join(lines)

    def _release_doc(self, sig: m.WebhookSignature, names: dict[str, str]) -> str:
        what = f"`{sig.id_header}` delivery id" if sig.id_header else "delivery (its signature)"
        lines = [
            f"Leave the {what} unclaimed: handling the delivery failed.",
            "",
            f"Call it for a delivery `{names['unwrap']}` or `{names['verify']}` handed over, before",
            "answering with an error, so that the sender's redelivery is accepted rather than refused as",
            "a replay.",
            "",
            "Args:",
            "    headers: The delivery's request headers.",
            "    replay_cache: The cache the delivery was verified with (by default the process-wide one).",
        ]
        return "\n".join(lines)

    def _sign_doc(self, sig: m.WebhookSignature) -> str:
        lines = [
            "The headers of a correctly signed delivery of `body`, to test your webhook endpoint.",
            "",
            "Args:",
            "    body: The delivery body (bytes, or text sent as UTF-8).",
            "    secret: The signing secret (the same forms as for verifying, one key); defaults as there.",
            "    timestamp: When it was signed (Unix seconds or a datetime); default now.",
            "    delivery_id: The delivery id; default a random one.",
        ]
        if sig.secret_ref_header:
            lines.append(f"    secret_ref: Sent as `{sig.secret_ref_header}` when given.")
        if sig.secret_version_header:
            lines.append(f"    secret_version: Sent as `{sig.secret_version_header}` when given.")
        return "\n".join(lines)

    def add_webhooks(self, modules: list[ResourceModule]) -> None:
        """Put `unwrap` on the `webhooks` resource (making one when the API has none)."""
        if not has_webhooks(self.api):
            return
        module = next((x for x in modules if x.attribute == "webhooks"), None)
        if module is None:
            class_name = NameScope(set(self.annotator.models)).claim("WebhooksResource")
            doc = docstring("Verifying the API's signed webhook deliveries.", "    ")
            module = ResourceModule(
                "webhooks", "webhooks", class_name, [ResourceView(class_name, doc, (), ())]
            )
            modules.append(module)
        top = module.resources[0]
        taken = {v.name for v in top.methods} | {c.attribute for c in top.children} | {"with_raw_response"}
        constants = {v.constant for x in module.resources for v in x.methods}
        views = self.webhook_views(module.needs, taken, constants)
        if views:
            module.resources[0] = replace(top, methods=(*top.methods, *views))
