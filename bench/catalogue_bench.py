"""Benchmark catalogue search and recommendations on a city-sized catalogue.

    .venv/bin/python bench/catalogue_bench.py [--db sqlite|postgres] [--courses N] [--sites N]

One fresh database (removed at the end): N courses (default 1,000,000), 50,000 learning sites,
200,000 sessions, 20,000 learners with 5 enrolments each; then, warm, each query is timed
through the same selector the pages and API use (search.search_courses: the page of 20 and the
capped count), several rounds. Targets: p95 under 100 ms for Chinese queries; recommendations
for one learner (suggestions.suggestions_for) under 100 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

CHINESE = [
    "书法",
    "太极拳",
    "智能手机",
    "英语口语",
    "养老护理",
    "摄影",
    "茶",
    "围棋",
    "人工智能",
    "中医养生",
    "家庭教育",
    "沪剧",
    "急救",
    "理财",
    "手机摄影",
    "书法 入门",
    "老年 智能手机",
    "心理健康讲座",
    "垃圾分类",
    "防诈骗",
    "八段锦入门班",
    "直播带货",
    "葫芦丝",
    "慢病管理",
    "隔代教育",
    "合唱 提高",
    "剪纸体验",
    "数据分析",
    "工业机器人",
    "钢琴",
]
ENGLISH = ["calligraphy", "tai chi", "smartphone", "python", "first aid", "AI"]
SITE_QUERIES = ["社区学校", "徐汇", "老年大学", "枫林", "图书馆", "泗泾 文化中心", "九亭"]
TARGET_MS = 100


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(call, rounds: int) -> list[float]:
    call()  # warm
    out = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        call()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def figures(ms: list[float]) -> dict:
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "max_ms": round(max(ms), 1),
    }


def run_queries(rounds: int) -> dict:
    from learncity.catalogue.search import CourseFilters, search_courses, search_sites
    from learncity.catalogue.selectors import origin_from

    near = origin_from("310104")
    cases = {
        "chinese": [lambda q=q: search_courses(q) for q in CHINESE],
        "chinese_filtered": [
            lambda q=q: search_courses(
                q, CourseFilters(district="310104", free=True, audience="elderly")
            )
            for q in CHINESE
        ],
        "chinese_by_start": [lambda q=q: search_courses(q, sort="start") for q in CHINESE],
        "chinese_by_distance": [
            lambda q=q: search_courses(q, sort="distance", origin=near) for q in CHINESE
        ],
        "english": [lambda q=q: search_courses(q) for q in ENGLISH],
        "browse_no_text": [
            lambda: search_courses(""),
            lambda: search_courses("", CourseFilters(district="310117", mode="offline")),
        ],
        "sites": [lambda q=q: search_sites(q) for q in SITE_QUERIES],
        "sites_near": [lambda: search_sites("", origin=near, radius_km=3)],
    }
    results, slowest = {}, {}
    for name, calls in cases.items():
        ms = []
        for call in calls:
            ms += timed(call, rounds)
        results[name] = figures(ms)
        common.say(f"{name}: {results[name]}")
    matches = {q: search_courses(q).total for q in CHINESE[:8]}
    return {"queries": results, "matches": matches, "slowest": slowest}


def run_recommendations(learners: list[int], samples: int) -> dict:
    from learncity.catalogue.suggestions import suggestions_for
    from learncity.identity.models import Learner

    rnd = random.Random(3)
    people = list(Learner.objects.filter(pk__in=rnd.sample(learners, samples)))
    ms, reasons = [], 0
    for learner in people:
        suggestions_for(learner)  # warm the caches for this learner's pages once
        t0 = time.perf_counter()
        found = suggestions_for(learner)
        ms.append((time.perf_counter() - t0) * 1000)
        reasons += sum(
            1 for s in found for r in s.reasons if "learners who took" in r or "学员" in r
        )
    result = figures(ms)
    common.say(f"recommendations: {result}")
    return result


@contextlib.contextmanager
def kept_database(db: str, home: Path):
    """A database that outlives the run (for profiling): SQLite in `home`, or PostgreSQL
    database learncity_bench_catalogue. Loaded once; later runs reuse it."""
    import os

    home.mkdir(parents=True, exist_ok=True)
    os.environ["LEARNCITY_HOME"] = str(home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learncity.settings")
    os.environ.pop("DATABASE_URL", None)
    if db == "postgres":
        import psycopg

        name = "learncity_bench_catalogue"
        with psycopg.connect(f"{common.PG_SERVER}/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = f"{common.PG_SERVER}/{name}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    yield home


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--courses", type=int, default=1_000_000)
    parser.add_argument("--sites", type=int, default=50_000)
    parser.add_argument("--sessions", type=int, default=200_000)
    parser.add_argument("--learners", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="keep the database in/for this folder")
    args = parser.parse_args()
    place = kept_database(args.db, args.keep) if args.keep else common.bench_database(args.db)
    with place:
        import catalogue_data

        from learncity.catalogue.models import Course
        from learncity.identity.models import Learner

        t0 = time.perf_counter()
        if Course.objects.count() >= args.courses:
            common.say("reusing the loaded database")
            loaded = {"learners": list(Learner.objects.values_list("pk", flat=True)), "index_s": 0}
        else:
            common.say(f"loading {args.courses:,} courses, {args.sites:,} sites on {args.db}")
            loaded = catalogue_data.load(args.courses, args.sites, args.sessions, args.learners, 5)
        common.say(f"loaded in {time.perf_counter() - t0:.0f}s")
        out = {
            "db": args.db,
            "courses": args.courses,
            "sites": args.sites,
            "sessions": args.sessions,
            "learners": args.learners,
            "load_s": round(time.perf_counter() - t0),
            "index_s": round(loaded["index_s"]),
            **run_queries(args.rounds),
            "recommendations": run_recommendations(loaded["learners"], 50),
        }
        ok = out["queries"]["chinese"]["p95_ms"] < TARGET_MS and (
            out["recommendations"]["p95_ms"] < TARGET_MS
        )
        out["targets_met"] = ok
        print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
