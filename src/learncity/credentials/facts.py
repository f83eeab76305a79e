"""Gather the facts of a recognised outcome into the plain dataclasses `build.py` turns into JSON.

The subject of every credential is a pseudonym: a UUID computed from the learner number with a
key derived from the data key, so it is stable for one learner (a verifier can see that two
credentials belong together) but cannot be computed by anyone else; the identity number is
never read here.
"""

from __future__ import annotations

import hmac
import time
import uuid
from functools import lru_cache
from hashlib import sha256

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from learncity.credentials import build, didweb, keys
from learncity.creditbank.models import Recognition
from learncity.framework.models import Category, Framework, Level
from learncity.framework.selectors import framework_in_force
from learncity.identity.models import Learner
from learncity.secrets import data_key

ISSUER_NAME = "LearnCity 终身学习学分银行 · LearnCity Lifelong Learning Credit Bank"


@lru_cache(maxsize=1)
def _pseudonym_key() -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"learncity credential subject"
    ).derive(data_key())


def pseudonym(learner: Learner) -> str:
    digest = hmac.new(_pseudonym_key(), learner.learner_no.encode(), sha256).digest()
    return uuid.UUID(bytes=digest[:16], version=4).urn  # HMAC output is as random as v4


def issuer() -> build.Issuer:
    did = keys.issuer_did()
    return build.Issuer(did, ISSUER_NAME, didweb.base_url(did) + "/")


def subject(learner: Learner) -> build.Subject:
    return build.Subject(pseudonym(learner), learner.learner_no, learner.name)


def framework_url(base: str, framework: Framework) -> str:
    return f"{base}/credentials/framework/{framework.code}/{framework.version}/"


_MEMO: dict = {}
MEMO_SECONDS = 60  # framework names change rarely; an edit shows in new credentials within this


def _memo(key, compute):
    """A small per-process cache with expiry, for framework look-ups repeated per credential."""
    now = time.monotonic()
    hit = _MEMO.get(key)
    if hit is None or now - hit[0] > MEMO_SECONDS:
        if len(_MEMO) > 1000:
            _MEMO.clear()
        hit = _MEMO[key] = (now, compute())
    return hit[1]


def _framework_facts(base: str, framework_id, level_no: int, category_code: str):
    framework = Framework.objects.filter(pk=framework_id).first()
    level = Level.objects.filter(framework_id=framework_id, number=level_no).first()
    category = Category.objects.filter(framework_id=framework_id, code=category_code).first()
    if framework is None or level is None:
        built = build.Level("", base + "/", level_no or 0, "", None)
    else:
        built = build.Level(
            f"{framework.name_zh} ({framework.name_en})", framework_url(base, framework),
            level.number, f"{level.name_zh} ({level.name_en})", level.eqf_level)
    name = f"{category.name_zh} ({category.name_en})" if category else category_code
    return built, name


def _criteria(rec: Recognition) -> str:
    if rec.standard_id:
        standard = rec.standard
        return (
            f"依据认定标准 {standard.key}（{standard.name_zh}）认定。"
            f" Recognised by the credit bank under standard {standard.key}"
            f"{' (' + standard.name_en + ')' if standard.name_en else ''}."
        )
    return "经学分银行评审认定。 Recognised by the credit bank's reviewers."


def achievement(rec: Recognition, credential_id: str, status) -> build.Achievement:
    outcome = rec.outcome
    base = didweb.base_url(keys.issuer_did())
    framework_id = rec.standard.framework_id if rec.standard_id else _memo(
        ("in force", outcome.completed_on),
        lambda: getattr(framework_in_force(outcome.completed_on), "pk", None))
    level, category_name = _memo(
        ("facts", base, framework_id, rec.level, rec.category),
        lambda: _framework_facts(base, framework_id, rec.level, rec.category))
    institution = outcome.institution
    institution_name = (
        f"{institution.name_zh}{' (' + institution.name_en + ')' if institution.name_en else ''}"
        if institution else outcome.issuer_name or "—"
    )
    key = f"{institution.code if institution else 'self'}/{outcome.code or outcome.lineage}"
    return build.Achievement(
        credential_id=credential_id,
        achievement_id=uuid.uuid5(uuid.NAMESPACE_URL, f"{base}/achievements/{key}").urn,
        title=outcome.title,
        kind=outcome.kind,
        code=outcome.code,
        institution_name=institution_name,
        institution_url=f"{base}/institutions/{institution.code if institution else 'self'}",
        category_code=rec.category,
        category_name=category_name,
        level=level,
        credits=rec.credits,
        result=outcome.result,
        result_type=outcome.result_type,
        hours=outcome.hours,
        started_on=outcome.started_on,
        completed_on=outcome.completed_on,
        criteria=_criteria(rec),
        evidence_url=outcome.evidence_url,
        evidence_sha256=outcome.evidence_sha256,
        status=tuple(status),
    )
