"""Webhook views: `unwrap(...)` on the `webhooks` resource verifies a delivery and returns the typed event."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ...ir import model as m
from ...ir import types as t
from ...parse.names import NameScope, upper_snake
from ..annotations import Needs, python_string
from ..methods import MethodView
from ..text import docstring
from .common import has_webhooks, webhook_secret_env
from .sessions import Sessions

if TYPE_CHECKING:
    from ..resources import ResourceModule


class Realtime(Sessions):
    """Session classes, `connect` methods and `unwrap` for one API (names allocated once, up front)."""

    # ---- webhooks

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
        tagged = [self._tag_field(r, sig.event_type_field) for r in refs]
        if all(tagged) and len(set(tagged)) == 1:
            needs.typing.add("Annotated")
            needs.pydantic.add("Field")
            annotated = f"Annotated[{union}, Field(discriminator={python_string(str(tagged[0]))})]"
            return annotated, annotated
        return union, union

    def _tag_field(self, ref: t.TypeRef, wire: str) -> str | None:
        model = self.annotator.models.get(ref.name) if isinstance(ref, t.Ref) else None
        if not isinstance(model, m.ObjectModel) or self._tag(model, wire) is None:
            return None
        return next(f.name.python for f in model.fields if f.name.wire == wire)

    def unwrap_view(self, needs: Needs, taken: set[str], constants: set[str]) -> MethodView | None:
        sig = self.api.webhook_signature
        event = self.event_type(needs)
        if sig is None or event is None:
            return None
        annotation, value = event
        name = NameScope(taken).claim("unwrap")
        constant = NameScope(constants).claim("_" + upper_snake(name) + "_WEBHOOK")
        needs.runtime |= {
            "WebhookSpec",
            "WebhookHeaders",
            "WebhookSecret",
            "ReplayCache",
            "NotGiven",
            "NOT_GIVEN",
        }
        needs.runtime.add("unwrap_webhook")
        needs.typing.add("cast")
        needs.datetime.add("datetime")
        text, number = needs.builtin("str"), needs.builtin("float")
        params = (
            f"body: bytes | {text}",
            "headers: WebhookHeaders",
            "secret: WebhookSecret | None = None",
            f"tolerance: {number} | None = None",
            f"now: {number} | _dt.datetime | None = None",
            "replay_cache: ReplayCache | NotGiven | None = NOT_GIVEN",
        )
        call = (
            f"cast({python_string(annotation)}, unwrap_webhook({constant}, body, headers, "
            f"event_type={value}, secret=secret, tolerance=tolerance, now=now, replay_cache=replay_cache))"
        )
        return MethodView(
            name=name,
            constant=constant,
            operation=self.webhook_spec(sig),
            params=params,
            returns=annotation,
            async_returns=annotation,
            doc=docstring(self._unwrap_doc(sig, annotation), "        "),
            call=call,
            async_call=call,
            async_def=False,
            raw=False,
            operation_id="",
        )

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
        args.append(f"tolerance_seconds={sig.tolerance_seconds!r}")
        args.append(f"event_type_field={python_string(sig.event_type_field)}")
        env = webhook_secret_env(self.api)
        if env:
            args.append(f"secret_env={python_string(env)}")
        return f"WebhookSpec({', '.join(args)})"

    def _unwrap_doc(self, sig: m.WebhookSignature, annotation: str) -> str:
        env = webhook_secret_env(self.api)
        checks = [f"the `{sig.signature_header}` HMAC-SHA256 signature over `{sig.signed_payload}`"]
        if sig.timestamp_header:
            checks.append(f"the `{sig.timestamp_header}` timestamp (within `tolerance` seconds of now)")
        if sig.id_header:
            checks.append(f"that the `{sig.id_header}` delivery was not seen before")
        lines = [
            "Verify a webhook delivery and return its event.",
            "",
            "Checks " + ", ".join(checks) + ", then parses the body.",
            "",
            "Args:",
            "    body: The raw request body, exactly as received (bytes).",
            "    headers: The request headers (any mapping; names in any case).",
            f"    secret: The signing secret ({sig.secret_encoding}), or several during a rotation."
            + (f" Defaults to the `{env}` environment variable." if env else ""),
            f"    tolerance: Seconds a timestamp may be from now; default {sig.tolerance_seconds}.",
            "    now: The current time (Unix seconds or a datetime), for tests.",
            "    replay_cache: Where delivery ids are remembered: by default a process-wide",
            "        `WebhookReplayCache`; pass your own (shared, or backed by a database), or None to skip",
            "        the replay check.",
            "",
            "Raises:",
            "    WebhookVerificationError: A missing header, a bad signature, a stale timestamp or a replay.",
            "    WebhookPayloadError: An authentic body that is not a known event.",
        ]
        return "\n".join(lines)

    def add_webhooks(self, modules: list[ResourceModule]) -> None:
        """Put `unwrap` on the `webhooks` resource (making one when the API has none)."""
        from ..resources import ResourceModule, ResourceView  # the resource renderer imports this module

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
        view = self.unwrap_view(module.needs, taken, constants)
        if view is not None:
            module.resources[0] = replace(top, methods=(*top.methods, view))
