"""Synthetic catalogue for the search benchmark: sites, courses, sessions, learners, enrolments.

Deterministic (seeded). Titles combine ~150 topics (drawn Zipf-like, so common topics match a few
percent of all courses and rare ones a handful), level words and formats, in Chinese and
English; sites lie within a few kilometres of their district's centre. Rows go in through the
raw driver in chunks; the search indexes are dropped before and rebuilt after the load.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from datetime import time as clock

import common


def _words(text: str) -> list[str]:
    return text.split()


def _pairs(text: str) -> list[tuple[str, str]]:
    return [tuple(p.strip().split("=", 1)) for p in text.replace("\n", " ").split(";") if p.strip()]


TOPICS = _pairs(
    """
书法=Calligraphy; 国画=Chinese painting; 太极拳=Tai chi; 智能手机=Smartphone;
英语口语=Spoken English; 摄影=Photography; 烹饪=Cooking; 茶艺=Tea art; 养老护理=Elderly care;
育婴=Infant care; 电工=Electrician; 会计=Accounting; Python编程=Python programming;
人工智能=Artificial intelligence; 急救=First aid; 心理健康=Mental health;
中医养生=Chinese medicine for health; 合唱=Choir; 舞蹈=Dance; 沪剧=Shanghai opera; 围棋=Go;
插花=Flower arranging; 理财=Personal finance; 法律常识=Everyday law; 垃圾分类=Waste sorting;
家庭教育=Parenting; 日语=Japanese; 钢琴=Piano; 古筝=Guzheng; 二胡=Erhu; 剪纸=Paper cutting;
编织=Knitting; 园艺=Gardening; 手机摄影=Phone photography; 短视频制作=Short video making;
网络安全=Online safety; 防诈骗=Avoiding fraud; 营养膳食=Nutrition; 瑜伽=Yoga; 八段锦=Baduanjin;
诗词鉴赏=Poetry appreciation; 上海史话=Shanghai history; 红色文化=Revolutionary history;
非遗技艺=Intangible heritage crafts; 电子商务=E-commerce; 直播带货=Live-stream selling;
数据分析=Data analysis; 办公软件=Office software; 普通话=Mandarin; 沪语=Shanghainese;
家政服务=Housekeeping; 月嫂=Maternity care; 汽车维修=Car repair; 焊接=Welding;
数控加工=CNC machining; 工业机器人=Industrial robots; 无人机=Drones; 3D打印=3D printing;
物流管理=Logistics; 酒店服务=Hotel service; 西点烘焙=Baking; 咖啡=Coffee; 调酒=Mixology;
美容美发=Hair and beauty; 服装设计=Fashion design; 室内设计=Interior design;
平面设计=Graphic design; 新媒体运营=New media; 创业指导=Starting a business;
职业规划=Career planning; 公共管理=Public administration; 社会工作=Social work;
心理咨询=Counselling; 学前教育=Early childhood education; 特殊教育=Special education;
护理学=Nursing; 康复治疗=Rehabilitation; 药学=Pharmacy; 会展=Exhibitions; 旅游=Tourism;
导游=Tour guiding; 法语=French; 德语=German; 韩语=Korean; 西班牙语=Spanish; 阅读=Reading;
写作=Writing; 演讲=Public speaking; 朗诵=Recitation; 京剧=Peking opera; 越剧=Yue opera;
评弹=Pingtan; 篆刻=Seal carving; 陶艺=Pottery; 油画=Oil painting; 水彩=Watercolour;
素描=Sketching; 漫画=Comics; 书籍装帧=Bookbinding; 木工=Woodwork; 模型制作=Model making;
天文=Astronomy; 气象=Meteorology; 地理=Geography; 生物多样性=Biodiversity;
低碳生活=Low-carbon living; 节能=Energy saving; 城市规划=Urban planning; 建筑欣赏=Architecture;
博物馆导览=Museum guiding; 文物鉴赏=Antiques; 收藏=Collecting; 钓鱼=Fishing; 象棋=Chinese chess;
桥牌=Bridge; 乒乓球=Table tennis; 羽毛球=Badminton; 游泳=Swimming; 健步走=Fitness walking;
广场舞=Square dance; 交谊舞=Ballroom dance; 声乐=Singing; 口琴=Harmonica; 葫芦丝=Hulusi;
尤克里里=Ukulele; 吉他=Guitar; 萨克斯=Saxophone; 电子琴=Keyboard; 手工皂=Soap making; 香道=Incense;
花艺=Floristry; 盆景=Bonsai; 养宠=Pet care; 家庭急救=Family first aid;
慢病管理=Chronic disease care; 睡眠健康=Sleep health; 防跌倒=Fall prevention;
认知训练=Brain training; 隔代教育=Grandparenting; 婚姻家庭=Marriage and family;
社区治理=Community governance; 志愿服务=Volunteering; 消防安全=Fire safety; 交通安全=Road safety;
食品安全=Food safety; 消费维权=Consumer rights; 医保政策=Health insurance; 养老政策=Pensions
"""
)
LEVELS = _pairs(
    "入门=for beginners; 基础=basics; 提高=intermediate; 进阶=advanced; 实务=in practice; "
    "研修=seminar; 精讲=in depth; 体验=taster"
)
FORMATS = _pairs("班=class; 课程=course; 工作坊=workshop; 讲座=talk; 微课=micro-lesson")
AUDIENCE_WORDS = _pairs("老年=elderly; 青少年=youth; 亲子=children; 职工=adults")
SENTENCES = [
    "由{district}{kind}开设，面向{who}，{hours}学时。",
    "课程结合案例讲解与动手练习，适合零基础学员。",
    "学完可获得学分，记入终身学习档案。",
    "每周一次，小班教学，名额有限。",
    "线上学习与线下辅导相结合。",
    "由资深教师授课，注重实际应用。",
]
SITE_WORDS = _words(
    "社区学校 老年大学 社会学习点 终身学习体验基地 图书馆 文化中心 博物馆 市民学习中心"
)
STREETS = _words(
    "枫林 田林 康健 虹梅 漕河泾 长桥 凌云 龙华 斜土 湖南 天平 徐家汇 华泾 "
    "新泾 程家桥 北新泾 江苏 华阳 周家桥 天山 仙霞 虹桥 泗泾 九亭 洞泾 佘山 "
    "车墩 新桥 石湖荡 小昆山 方松 中山 岳阳 永丰 广富林 叶榭"
)
SITE_KINDS = _words(
    "community_school elderly_university learning_point experience_base "
    "library cultural_centre museum other"
)
MODES = ["offline", "offline", "offline", "online", "blended"]
KINDS = ["community", "elderly", "vocational", "mooc", "micro_lesson", "experience", "degree"]
AUDIENCES = ["", ",elderly,", ",adults,", ",youth,", ",adults,elderly,", ",children,youth,"]


def zipf_index(rnd: random.Random, n: int, s: float = 0.5) -> int:
    """A Zipf-like draw in [0, n): a few topics are common, most are rare."""
    weights = _WEIGHTS.get((n, s))
    if weights is None:
        weights = _WEIGHTS[(n, s)] = [1 / (k + 1) ** s for k in range(n)]
    return rnd.choices(range(n), weights=weights)[0]


_WEIGHTS: dict = {}


def _insert(table: str, columns: list[str], rows, chunk: int = 20_000) -> int:
    from django.db import connection, transaction

    marks = ", ".join(["?" if connection.vendor == "sqlite" else "%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    done, batch = 0, []
    with transaction.atomic():
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        for row in rows:
            batch.append(row)
            if len(batch) == chunk:
                cursor.executemany(sql, batch)
                done += len(batch)
                batch = []
                if done % 200_000 == 0:
                    common.say(f"{table}: {done:,}")
        if batch:
            cursor.executemany(sql, batch)
            done += len(batch)
        cursor.close()
    return done


def _now(vendor: str):
    from django.utils import timezone

    now = timezone.now()
    return now.replace(tzinfo=None) if vendor == "sqlite" else now


SITE_COLUMNS = _words(
    "id provider_id code name_zh name_en kind address district_code "
    "latitude longitude opening_hours accessibility step_free capacity "
    "status moderation_note search_grams created_at updated_at"
)


def site_rows(n: int, providers: list[int], vendor: str, seed: int = 11):
    from learncity.catalogue import geo, textsearch
    from learncity.identity import districts

    rnd, now = random.Random(seed), _now(vendor)
    all_districts = districts.all_districts()
    weights = [d.residents for d in all_districts]
    for i in range(n):
        d = rnd.choices(all_districts, weights=weights)[0]
        centre = geo.district_centre(d.code)
        street = STREETS[rnd.randrange(len(STREETS))]
        word = SITE_WORDS[rnd.randrange(len(SITE_WORDS))]
        name = f"{d.name_zh}{street}街道{word}{'' if i % 3 else f'第{i % 97}分部'}"
        address = f"上海市{d.name_zh}{street}路{rnd.randrange(1, 999)}号"
        # fmt: off
        yield (
            i + 1, providers[i % len(providers)], f"S{i:07d}", name,
            f"{d.name_en} {street} {i}", SITE_KINDS[rnd.randrange(len(SITE_KINDS))], address,
            d.code, round(centre.latitude + rnd.uniform(-0.04, 0.04), 6),
            round(centre.longitude + rnd.uniform(-0.05, 0.05), 6), "周一至周五 9:00–17:00", "",
            rnd.random() < 0.6, rnd.choice([50, 80, 120, 200, 300]), "published", "",
            textsearch.grams(name, f"{d.name_en} {street}", address), now, now,
        )
        # fmt: on


COURSE_COLUMNS = _words(
    "id provider_id code title_zh title_en description_zh description_en "
    "mode kind audiences hours credits level_id category_id "
    "xapi_activity_iri fee_yuan public_benefit districts status "
    "moderation_note next_start search_grams created_at updated_at held_in held_days held_parts"
)


def course_title(rnd: random.Random) -> tuple[int, str, str]:
    t = zipf_index(rnd, len(TOPICS))
    level, form = LEVELS[rnd.randrange(len(LEVELS))], FORMATS[rnd.randrange(len(FORMATS))]
    zh, en = f"{TOPICS[t][0]}{level[0]}{form[0]}", f"{TOPICS[t][1]} {level[1]} {form[1]}"
    if rnd.random() < 0.25:
        who = AUDIENCE_WORDS[rnd.randrange(len(AUDIENCE_WORDS))]
        zh, en = who[0] + zh, f"{en} ({who[1]})"
    return t, zh, en


def course_rows(
    n: int,
    providers: list[int],
    levels: list[int],
    categories: list[int],
    vendor: str,
    schedules: dict,
    seed: int = 13,
):
    from learncity.catalogue import choices, textsearch
    from learncity.identity import districts

    rnd, now = random.Random(seed), _now(vendor)
    codes = [d.code for d in districts.all_districts()]
    names = {d.code: d.name_zh for d in districts.all_districts()}
    for i in range(n):
        _t, zh, en = course_title(rnd)
        district = codes[rnd.randrange(len(codes))]
        hours = rnd.choice([2, 8, 16, 24, 32, 48])
        desc = SENTENCES[0].format(
            district=names[district], kind="社区学校", who="市民", hours=hours
        )
        desc += SENTENCES[1 + rnd.randrange(len(SENTENCES) - 1)]
        mode = MODES[rnd.randrange(len(MODES))]
        free = rnd.random() < 0.6
        # fmt: off
        yield (
            i + 1, providers[i % len(providers)], f"C{i:08d}", zh, en, desc, "", mode,
            KINDS[rnd.randrange(len(KINDS))], AUDIENCES[rnd.randrange(len(AUDIENCES))], hours,
            round(hours / 16, 1), levels[rnd.randrange(len(levels))],
            categories[rnd.randrange(len(categories))],
            f"https://bench.example.org/a/{i}" if mode != "offline" else "", 0 if free else 200,
            free, f",{district}," if rnd.random() < 0.5 else "", "published", "",
            min(schedules[i + 1][3]) if i + 1 in schedules else None,
            textsearch.grams(zh, en, desc), now, now,
            *(choices.pack(part) for part in schedules.get(i + 1, (set(), set(), set()))[:3]),
        )
        # fmt: on


SESSION_COLUMNS = _words(
    "id course_id event_id title_zh title_en site_id room starts_on ends_on "
    "weekdays start_time end_time capacity seats_taken cancelled created_at"
)


def session_rows(n: int, n_courses: int, n_sites: int, vendor: str, today: date, seed=17):
    rnd, now = random.Random(seed), _now(vendor)
    for i in range(n):
        start = today + timedelta(days=rnd.randrange(-30, 180))
        hour = rnd.choice([9, 10, 14, 15, 19])
        begin, end = clock(hour), clock(hour + 2)
        if vendor == "sqlite":  # the raw sqlite3 driver takes times as text
            begin, end = begin.isoformat(), end.isoformat()
        # fmt: off
        yield (
            i + 1, 1 + (i * 7919) % n_courses, None, "", "", 1 + (i * 104729) % n_sites,
            f"R{i}", start, start + timedelta(weeks=rnd.randrange(1, 16)),
            str(rnd.randrange(1, 8)), begin, end, 30, 0, False, now,
        )
        # fmt: on


ENROLMENT_COLUMNS = _words(
    "session_id learner_id status created_at updated_at promoted_at outcome_id"
)


def enrolment_rows(
    learners: list[int], per_learner: int, n_sessions: int, vendor: str, seed: int = 19
):
    """Each learner takes a few sessions in sequence; neighbouring sessions share learners, so
    'what similar learners took next' has something to find."""
    rnd, now = random.Random(seed), _now(vendor)
    for learner in learners:
        first = rnd.randrange(1, n_sessions + 1)
        taken = set()
        for step in range(per_learner):
            session = 1 + (first + step * rnd.choice([1, 2, 3]) * 31) % n_sessions
            if session in taken:
                continue
            taken.add(session)
            when = now - timedelta(days=400 - step * 60)
            yield (session, learner, "enrolled", when, now, None, None)


def _schedules(sessions: list, site_districts: list[str], today: date) -> dict:
    """course id -> (districts, weekdays, parts of day, start dates) of its running sessions."""
    from learncity.catalogue import schedule

    found: dict[int, tuple[set, set, set, list]] = {}
    for row in sessions:
        course, site, starts, ends, days, begin = row[1], row[5], row[7], row[8], row[9], row[10]
        if ends < today:
            continue
        where, when, part, first = found.setdefault(course, (set(), set(), set(), []))
        where.add(site_districts[site - 1])
        when.update(days)
        hour = begin.hour if hasattr(begin, "hour") else int(begin[:2])
        part.add(schedule.part_of_day(clock(hour)))
        first.append(starts)
    return found


def load(n_courses: int, n_sites: int, n_sessions: int, n_learners: int, per_learner: int) -> dict:
    from django.db import connection

    from learncity.catalogue import searchindex
    from learncity.framework.models import Category, Level
    from learncity.institutions.models import Institution

    today = date.today()
    vendor = connection.vendor
    searchindex.uninstall(connection)
    providers = [common.make_institution("BENCH").pk]
    providers += list(Institution.objects.values_list("pk", flat=True).exclude(pk=providers[0]))
    levels = list(Level.objects.values_list("pk", flat=True))
    categories = list(Category.objects.values_list("pk", flat=True))
    timings = {}
    t0 = time.perf_counter()
    sites = list(site_rows(n_sites, providers, vendor))
    _insert("catalogue_site", SITE_COLUMNS, sites)
    sessions = list(session_rows(n_sessions, n_courses, n_sites, vendor, today))
    schedules = _schedules(sessions, [row[7] for row in sites], today)
    del sites
    _insert(
        "catalogue_course",
        COURSE_COLUMNS,
        course_rows(n_courses, providers, levels, categories, vendor, schedules),
    )
    _insert("catalogue_session", SESSION_COLUMNS, sessions)
    timings["rows_s"] = time.perf_counter() - t0
    learners = common.create_learners(n_learners)
    _insert(
        "catalogue_enrolment",
        ENROLMENT_COLUMNS,
        enrolment_rows(learners, per_learner, n_sessions, vendor),
    )
    t0 = time.perf_counter()
    common.say("building the search indexes")
    if vendor == "sqlite":
        searchindex.ensure(connection)  # triggers and FTS tables back, refilled from the rows
    else:
        searchindex.install(connection)  # pg_trgm GIN indexes
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("catalogue_site", "catalogue_course", "catalogue_session"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    timings["index_s"] = time.perf_counter() - t0
    return {"learners": learners, **timings}
