"""About, Activities and Agents resources."""

from __future__ import annotations

from learncity.errors import ValidationFailed
from learncity.lrs import params, selectors
from learncity.lrs.credentials import require_scope
from learncity.lrs.http import XapiRequest, check_params, json_response, xapi_view
from learncity.lrs.indexing import IFI_PROPERTIES

VERSIONS = ["1.0.3", "2.0.0"]


@xapi_view(("GET",), auth=False, version_required=False)
def about(xreq: XapiRequest):
    check_params(xreq, set())
    return json_response(
        {
            "version": VERSIONS,
            "extensions": {
                "https://learncity.invalid/xapi/extensions/lrs": {"name": "LearnCity LRS"}
            },
        }
    )


@xapi_view(("GET",))
def activities(xreq: XapiRequest):
    require_scope(xreq.credential, "read")
    check_params(xreq, {"activityId"}, ("activityId",))
    try:
        iri = params.iri(xreq.params, "activityId")
    except params.ParamInvalid as error:
        raise ValidationFailed(str(error), field=error.name) from None
    return json_response(selectors.activity(iri))


def person(agent: dict) -> dict:
    """The Person object for an agent: only what the request told us (no directory behind)."""
    out: dict = {"objectType": "Person"}
    if "name" in agent:
        out["name"] = [agent["name"]]
    for key in IFI_PROPERTIES:
        if key in agent:
            out[key] = [agent[key]]
    return out


@xapi_view(("GET",))
def agents(xreq: XapiRequest):
    require_scope(xreq.credential, "read")
    check_params(xreq, {"agent"}, ("agent",))
    try:
        agent = params.agent_param(xreq.params, "agent", groups=False)
    except params.ParamInvalid as error:
        raise ValidationFailed(str(error), field=error.name) from None
    return json_response(person(agent))
