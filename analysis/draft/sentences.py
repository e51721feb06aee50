"""Statistics printed in running text, in English and Chinese.

Each pattern finds one kind of printed number the audit can use: a test statistic
(``χ²=4.863``, ``t(28) = 2.2``, ``x2``, ``Z(1−α/2)=1.96``), a P value (``P=0.027``,
``log-rank P < 0.001``), a ratio with its CI (``HR 0.72 (95% CI 0.60–0.86)``), a group size
(``n=53``, ``53 patients in the combination group``, ``联合组53例``), counts and
percentages (``6 patients (11.32%)``, ``83.02% vs 61.11%``), times (``median follow-up of
16 months``, ``4~24个月``, ``2-year``), dates (``January 2020``, ``2024年3月31日``, kept as
ISO ``2020-01``) and design constants (``α = 0.05``). A bare ``P < 0.05`` is a claim, not a
value: it is returned separately for the declaration's ``claim`` lines.

Numbers with no statistical context (doses, versions, approval numbers) are not drafted:
a missed value costs a person one line, a wrong one costs a false alarm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cells import NUM, canonical_minus
from .keys import slug
from .tables import ArmBook, DraftRow

__all__ = ["Claim", "statistics_in"]

_MONTHS = {m: i + 1 for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"))}
_MONTH_RE = "|".join(m.capitalize() for m in _MONTHS) + "|" + "|".join(m[:3].capitalize() + r"\." for m in _MONTHS)
_UNITS = {"month": "months", "months": "months", "个月": "months", "月": "months",
          "year": "years", "years": "years", "年": "years", "day": "days", "days": "days",
          "天": "days", "d": "days", "week": "weeks", "weeks": "weeks", "周": "weeks"}
_UNIT_RE = r"(months?|years?|days?|weeks?|个月|年|天|周)"
_SEP = r"\s*(?:-|–|—|~|～|to|至)\s*"
_TIME_CONTEXT = re.compile(r"follow|median|surviv|\bOS\b|\bPFS\b|\bDFS\b|\bRFS\b|随访|生存|中位|duration|time",
                           re.I)
_N_CONTEXT = re.compile(r"total|enrol|enroll|recruit|random|divided|assigned|required|needed|selected|"
                        r"allocated|per group|共需|纳入|入组|需|分为|随机|选取|/组", re.I)
# a time is a statistic when a median, a follow-up or a duration is spoken of just before it
_TIME_NEAR = re.compile(r"follow|median|duration|随访|中位|时间", re.I)
_RESPECTIVELY = re.compile(r"\bvs\.?|versus|respectively|分别|比较", re.I)
_STOP = {"the", "a", "an", "of", "in", "and", "was", "were", "with", "for", "to", "at", "than",
         "that", "this", "two", "both", "group", "groups", "rate", "significantly", "higher",
         "lower", "between", "there", "no", "not", "statistically", "significant", "difference", "vs",
         "versus"}


@dataclass(frozen=True)
class Claim:
    """A printed ``P < 0.05``-style statement, where it is, and the sentence around it."""

    source: str
    text: str
    sentence: str
    where: str


_PATTERNS = [
    ("ratio", re.compile(rf"(?P<kind>\bHR\b|\bOR\b|\bRR\b|hazard ratio|odds ratio|relative risk|风险比|比值比)"
                         rf"\s*[=:：,，]?\s*(?P<v>{NUM})\s*[(（,，;；]\s*(?:95\s*%\s*CI\s*[:：,，]?\s*)?"
                         rf"(?P<lo>{NUM}){_SEP}(?P<hi>{NUM})\s*[)）]?", re.I)),
    ("test", re.compile(rf"(?<![A-Za-z])(?P<sym>χ²|χ2|x²|x2|χ\s*2|t|Z|z|F|H|U)\s*(?:\((?P<df>[^()]{{1,15}})\))?"
                        rf"\s*[=＝]\s*(?P<v>{NUM})")),
    ("p", re.compile(rf"(?<![A-Za-z])[Pp]\s*(?P<rel>[=＝<>≤≥＜＞])\s*(?P<v>{NUM})")),
    ("n", re.compile(r"(?<![A-Za-z])[nN]\s*[=＝]\s*(?P<v>\d+)")),
    ("design", re.compile(rf"(?P<sym>α|β)\s*[=＝]\s*(?P<v>{NUM})")),
    ("count_pct", re.compile(rf"(?P<c>\d+)\s*(?:(?:patients?|cases?|例|名)\s*[(（]\s*(?P<v>{NUM})\s*%?"
                             rf"|[(（]\s*(?P<w>{NUM})\s*%)\s*[)）]")),
    ("range", re.compile(rf"(?P<lo>\d+(?:[.·]\d+)?){_SEP}(?P<hi>\d+(?:[.·]\d+)?)\s*{_UNIT_RE}")),
    ("cn_list", re.compile(rf"(?P<a>\d+(?:[.·]\d+)?)\s*[、,，]\s*(?P<b>\d+(?:[.·]\d+)?)\s*(?P<u>个月|年|天|周)")),
    ("date_en", re.compile(rf"(?P<m>{_MONTH_RE})\s*(?:(?P<d>\d{{1,2}}),?\s*)?(?P<y>(?:19|20)\d\d)")),
    ("date_zh", re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?")),
    ("vs_time", re.compile(rf"(?P<a>\d+(?:[.·]\d+)?|not reached|NR|未达到)\s*(?:{_UNIT_RE}\s*)?(?:vs\.?|versus|对|比(?!较))\s*"
                           rf"(?P<b>\d+(?:[.·]\d+)?)\s*(?P<u>months?|years?|days?|weeks?|个月|天|周)(?![a-z])")),
    ("time", re.compile(rf"(?P<v>\d+(?:[.·]\d+)?)\s*-?\s*(?P<u>months?|years?|days?|weeks?|个月|年(?![0-9])|天|周)(?![a-z])")),
    # "not reached in the drug group", "未达到": a median per arm that has none, in the unit
    # of the sentence's other times
    ("not_reached", re.compile(r"(?P<v>not (?:been )?reached|未达到)")),
    ("percent", re.compile(rf"(?P<v>{NUM})\s*%")),
    # "63 to interferon gamma", "264 given hormone therapy and 440 not": an arm's size
    ("arm_n", re.compile(r"(?<![\d.·])(?P<c>\d+)\s+(?:to|given|receiving|received|on)\s+(?:the\s+)?"
                         r"(?P<w>[A-Za-z][A-Za-z-]*(?:\s+(?!and\b)[A-Za-z][A-Za-z-]*){0,3})"
                         r"(?:\s+and\s+(?P<rest>\d+)\s+(?:not|did not|none)\b)?")),
    ("count", re.compile(r"(?P<c>\d+)\s*(?:(?:(?:randomi[sz]ed|enrolled|eligible)\s+)?(?:patients?|cases?|subjects?|deaths?|例|名)(?![a-z])"
                         r"|(?=\s+(?:in|to)\s+the\s+\w+\s+(?:group|arm)))")),
    ("proportion", re.compile(r"[(（]\s*(?P<v>0\.\d+)\s*[)）]")),
]


# a clause that opens with a test statistic or P is the test of the clause before it
_TEST_NEXT = re.compile(r"(?:χ²|χ2|x²|x2|log.?rank|(?:[tZzFHU]|[Pp])\s*(?:\([^()]{1,15}\))?\s*[=＝<>≤≥＜＞])", re.I)
_NOT_AN_END = re.compile(r"(?:\bvs|\bet al|\be\.g|\bi\.e|\bFig|\bNo|\bapprox|\bca|\bcf)\.$", re.I)


def _sentences(text: str):
    """The sentences of a paragraph: a statistic's P belongs to its own sentence, so the
    split is at every full stop or semicolon followed by a space (a decimal point is not),
    except after "vs.", "et al.", "e.g." and the like, and at a semicolon that a test
    statistic follows."""
    start = 0
    for m in re.finditer(r"(?<=[.;!?])\s+|(?<=[。；])", text):
        if _NOT_AN_END.search(text[max(0, m.start() - 8):m.start()]):
            continue
        if text[m.start() - 1] in ";；" and _TEST_NEXT.match(text, m.end()):
            continue                               # "14 (22.2%) vs 30 (46.2%); χ² = 8.21, P = 0.004"
        head = text[start:m.start()]
        if head.count("(") + head.count("（") > head.count(")") + head.count("）"):
            continue                               # "(95% CI, 0.17-0.65; P = 0.001)": one clause
        yield start, text[start:m.start()]
        start = m.end()
    yield start, text[start:]


_ENDPOINTS = ((r"overall survival|总生存", "os"), (r"progression[- ]free survival|无进展生存", "pfs"),
              (r"disease[- ]free survival|无病生存", "dfs"), (r"recurrence[- ]free survival|无复发生存", "rfs"),
              (r"event[- ]free survival", "efs"), (r"objective response|客观缓解", "orr"))


def _topic(sentence: str, before: int) -> str:
    """An item key for a number: the last abbreviation printed before it (``ORR``, ``OS``),
    else the last content words before it."""
    head = sentence[:before]
    # the endpoint or abbreviation named last before the number ("overall survival", "ORR")
    named = [(m.start(), key) for pattern, key in _ENDPOINTS for m in re.finditer(pattern, head, re.I)]
    named += [(m.start(), m.group(1).lower()) for m in re.finditer(r"\b([A-Z][A-Z0-9]{1,5})\b", head)
              if m.group(1) not in {"CI", "HR", "OR", "RR", "SD", "IQR", "P"}]
    if named:
        return max(named)[1]
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z-]+", head) if w.lower() not in _STOP]
    if not words:
        # a sentence that opens with its number ("129 patients were randomized"): the words after
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z-]+", sentence[before:before + 60])
                 if w.lower() not in _STOP][:2]
        return slug(" ".join(words)) or ""
    return slug(" ".join(words[-2:])) or ""


def _arm_near(sentence: str, start: int, end: int, arms: ArmBook) -> str:
    """The arm printed right before a number ("the control group (n=54)", "联合组53例") or
    right after it ("53 patients in the combination group")."""
    window_before = sentence[max(0, start - 40):start]
    window_after = sentence[end:end + 40]
    # "18.2 months in the control group": the group named right after the value is its arm,
    # whatever group the words before it name
    m = re.match(rf"\s*(?:{_UNIT_RE}\s*)?(?:in|for)\s+the\s+([\w-]+(?:\s+[\w-]+)?)\s+(?:group|arm)", window_after)
    if m:
        found = arms.key(m.group(2), create=False) or arms.key(m.group(2).split()[-1], create=False)
        if found:
            return found
    best = ""
    for label, key in list(arms.keys.items()):
        for text in (window_before,):
            if label and label in re.sub(r"[\s()（）]+", "", text.lower()).replace("group", "").replace("组", ""):
                best = key
    if not best:
        m = re.match(r"\s*(?:in|for)\s+the\s+(\w+)\s+group", window_after)
        if m:
            best = arms.key(m.group(1), create=False) or ""
    if not best:
        m = re.search(r"(\w+)\s*group\s*$|([\u4e00-\u9fff]{1,3})组\s*$", window_before.strip(" (（"))
        if m:
            best = arms.key(m.group(1) or m.group(2), create=False) or ""
    return best


def statistics_in(text: str, *, source: str, where: str, arms: ArmBook, taken: set):
    """The statistics printed in one paragraph: draft rows and claims.

    ``taken`` holds the keys already used in ``source`` (``item|level|arm|quantity``), so
    that a repeated key gets a suffix instead of clashing.
    """
    rows, claims = [], []
    for offset, sentence in _sentences(text):
        used = []                                   # spans already read in this sentence
        found = []
        for kind, pattern in _PATTERNS:
            for m in pattern.finditer(sentence):
                if any(m.start() < e and s < m.end() for s, e in used):
                    continue
                items = _read(kind, m, sentence, arms)
                if items is None:
                    continue
                used.append((m.start(), m.end()))
                found.extend((m.start(), kind, m, it) for it in items)
        found.sort(key=lambda x: x[0])
        found = _pairs(found, sentence, arms)
        topic_of = {}
        for start, kind, m, (quantity, value, level, arm, claim) in found:
            if claim:
                claims.append(Claim(source, value, sentence.strip(), where))
                continue
            cluster = _cluster(found, start)
            if cluster not in topic_of:
                # a new run of numbers: its own item, named by what precedes it, unique in the section
                name = _topic(sentence, start) or "value"
                base, k = name, 2
                while f"topic:{name}" in taken:
                    name, k = f"{base}_{k}", k + 1
                taken.add(f"topic:{name}")
                topic_of[cluster] = name
            topic = topic_of[cluster]
            item = {"n": "group_size"}.get(quantity if kind == "n" else "", topic)
            item = _free(_key(item), level, arm, quantity, taken)
            rows.append(DraftRow(source, item, level, arm, quantity, value, _phrase(sentence, m),
                                 "", where, m.group(0)))
    return rows, claims


def _free(item: str, level: str, arm: str, quantity: str, taken: set) -> str:
    """``item``, or ``item_2``, ``item_3``… when its key is already used in the source."""
    base, k = item, 2
    while "|".join((item, level, arm, quantity)) in taken:
        item, k = f"{base}_{k}", k + 1
    taken.add("|".join((item, level, arm, quantity)))
    return item


def _key(item: str) -> str:
    key = re.sub(r"[^a-z0-9_]", "_", item.lower()).strip("_")
    return key or "value"


def _cluster(found, start) -> int:
    """Numbers printed within one parenthesis or clause share an item: the cluster is the
    index of the first number of a run with gaps under 40 characters."""
    index = 0
    previous = None
    for s, *_ in found:
        if previous is not None and s - previous > 40:
            index = s
        if s == start:
            return index
        previous = s
    return index


def _mentioned(sentence: str, arms: ArmBook) -> list:
    """The arms a sentence names, in the order it names them."""
    order = []
    for m in re.finditer(r"([A-Za-z]+)\s+group|([\u4e00-\u9fff]{1,4})组", sentence):
        word = m.group(1) or m.group(2)
        # "和对照组": the arm's name is the end of the run of characters before 组
        key = next((k for k in (arms.key(word[i:], create=False) for i in range(len(word))) if k), None)
        if key and key not in order:
            order.append(key)
    return order


def _pairs(found, sentence, arms):
    """Two values of one quantity printed as a pair ("83.02% vs 61.11%", "14 (22.2%) vs 30
    (46.2%)", "20 and 16 months, respectively", "分别为20、16个月", "from January 2020 to March
    2022") get the arms in the order the sentence names them, or ``start``/``end`` for dates.
    The two need not be adjacent: a count and its percentage may sit between them."""
    out = list(found)
    paired = set()
    for k, (s1, kind1, m1, a) in enumerate(out):
        if k in paired or a[2] or a[4]:
            continue
        for j in range(k + 1, len(out)):
            s2, kind2, m2, b = out[j]
            if s2 - s1 > 60:
                break
            if j in paired or b[0] != a[0] or b[2] or b[4] or (m1 is m2 and kind1 not in ("cn_list", "vs_time")):
                continue
            between = sentence[m1.end():m2.start()] if m1 is not m2 else (" vs " if kind1 == "vs_time" else "、")
            if a[0] == "date" and re.search(r"to|至|-|–|~", between):
                levels, names = ("start", "end"), (a[3], b[3])
            elif a[0] in ("percent", "months", "years", "days", "weeks", "count") and \
                    (_RESPECTIVELY.search(sentence) or re.search(r"\bvs\.?|versus|、|比(?!较)", between)):
                named = _mentioned(sentence, arms)
                named = named if len(named) >= 2 else list(arms.labels)
                if len(named) < 2:
                    break
                levels, names = (a[2], b[2]), tuple(named[:2])
            else:
                break
            out[k] = (s1, kind1, m1, (a[0], a[1], levels[0], names[0], a[4]))
            out[j] = (s2, kind2, m2, (b[0], b[1], levels[1], names[1], b[4]))
            paired |= {k, j}
            break
    return out


def _phrase(sentence: str, m: re.Match) -> str:
    """The printed phrase around a number, for ``row_label``: the clause that holds it."""
    start = max(sentence.rfind(sep, 0, m.start()) for sep in (",", "，", "(", "（", ";", "；")) + 1
    end_candidates = [i for i in (sentence.find(sep, m.end()) for sep in (",", "，", ")", "）", ";", "；"))
                      if i != -1]
    end = min(end_candidates) if end_candidates else len(sentence)
    return sentence[start:end].strip() or m.group(0)


def _read(kind, m, sentence, arms):
    """What one match prints: a list of (quantity, value, level, arm, is_claim), or None to
    leave the text to other patterns."""
    g = m.groupdict()
    value = canonical_minus(re.sub(r"^([<>≤≥＜＞])\s+", r"\1", g.get("v") or ""))
    if kind == "ratio":
        word = g["kind"].lower()
        q = "or" if word in ("or", "odds ratio", "比值比") else "rr" if word in ("rr", "relative risk") else "hr"
        return [(q, value, "", "", False), ("lower", g["lo"], "", "", False), ("upper", g["hi"], "", "", False)]
    if kind == "test":
        sym = g["sym"].replace(" ", "")
        q = {"χ²": "chi2", "χ2": "chi2", "x²": "chi2", "x2": "chi2", "Z": "z", "z": "z", "F": "F"}.get(sym, "statistic")
        return [(q, value, "", "", False)]
    if kind == "p":
        rel = g["rel"].replace("＝", "=")
        printed = value if rel == "=" else rel.replace("＜", "<").replace("＞", ">") + value
        after_test = re.search(r"(?:χ²|χ2|x2|(?<![A-Za-z])[tZF]\s*(?:\([^()]*\))?\s*=|\bHR\b|\bCI\b|log.?rank)"
                               r"[^.;。]{0,30}$", sentence[:m.start()], re.I)
        if rel != "=" and value in ("0.05", "0.01") and not after_test:
            return [("p", printed, "", "", True)]
        return [("p", printed, "", "", False)]
    if kind == "n":
        return [("n", value, "", _arm_near(sentence, m.start(), m.end(), arms), False)]
    if kind == "design":
        return [("proportion", value, g["sym"].replace("α", "alpha").replace("β", "beta"), "", False)]
    if kind == "count_pct":
        value = value or canonical_minus(g["w"])
        pct = value if value.endswith("%") or "%" not in m.group(0) else value + "%"
        arm = _arm_near(sentence, m.start(), m.end(), arms)
        return [("count", g["c"], "", arm, False), ("percent", pct, "", arm, False)]
    if kind == "range":
        if not _TIME_CONTEXT.search(sentence):
            return None
        unit = _UNITS[m.group(3).lower()]
        return [(unit, g["lo"], "min", "", False), (unit, g["hi"], "max", "", False)]
    if kind == "cn_list":
        if not _TIME_CONTEXT.search(sentence):
            return None
        unit = _UNITS[g["u"]]
        return [(unit, g["a"], "", "", False), (unit, g["b"], "", "", False)]
    if kind == "vs_time":
        # "66·3 vs 50·2 months", "not reached vs 304 days": one time per arm (paired below)
        if not _TIME_NEAR.search(sentence[max(0, m.start() - 120):m.end() + 12]):
            return None
        unit = _UNITS[g["u"].lower()]
        return [(unit, g["a"], "", "", False), (unit, g["b"], "", "", False)]
    if kind == "time":
        if not _TIME_NEAR.search(sentence[max(0, m.start() - 120):m.end() + 12]):
            return None
        return [(_UNITS[g["u"].lower()], value, "", _arm_near(sentence, m.start(), m.end(), arms), False)]
    if kind == "not_reached":
        unit = re.search(rf"\d\s*{_UNIT_RE}", sentence)
        arm = _arm_near(sentence, m.start(), m.end(), arms)
        if not unit or not arm or not _TIME_NEAR.search(sentence):
            return None
        return [(_UNITS[unit.group(1).lower()], "NR", "", arm, False)]
    if kind in ("date_en", "date_zh"):
        month = g["m"].lower().rstrip(".")
        month = _MONTHS.get(month) or next((v for k, v in _MONTHS.items() if k.startswith(month)), None) \
            if kind == "date_en" else int(g["m"])
        if not month:
            return None
        iso = f"{g['y']}-{month:02d}" + (f"-{int(g['d']):02d}" if g.get("d") else "")
        return [("date", iso, "", "", False)]
    if kind == "percent":
        if re.match(r"95\s*%\s*CI", sentence[m.start():m.start() + 8]) or value.startswith("100") \
                and "×" in sentence[max(0, m.start() - 3):m.start()]:
            return None
        pct = value if value.endswith("%") else value + "%"
        return [("percent", pct, "", _arm_near(sentence, m.start(), m.end(), arms), False)]
    if kind == "arm_n":
        words = g["w"].split()
        arm = next((k for k in (arms.key(" ".join(words[:j]), create=False) for j in range(len(words), 0, -1))
                    if k), None)
        if not arm or not _N_CONTEXT.search(sentence) and "given" not in m.group(0):
            return None
        out = [("n", g["c"], "", arm, False)]
        others = [k for k in arms.labels if k != arm]
        if g["rest"] and len(others) == 1:            # "... and 440 not": the other arm
            out.append(("n", g["rest"], "", others[0], False))
        return out
    if kind == "count":
        before = sentence[max(0, m.start() - 60):m.start()]
        after = sentence[m.end():m.end() + 30]
        arm = _arm_near(sentence, m.start(), m.end(), arms)
        # "686 patients, 264 given hormone therapy and 440 not": a total before its arms' sizes
        is_n = bool(_N_CONTEXT.search(before) or _N_CONTEXT.search(after[:25])
                    or re.match(r"\s*(?:in|for)\s+the\s+\w+\s+group", after)
                    or re.match(r"\s*[,:(（]\s*\d+\s+(?:to|given|receiving|received|on)\s", after)
                    or re.search(r"randomi[sz]ed|enrolled|eligible", m.group(0)))
        is_n &= not re.search(r"deaths?$", m.group(0))     # deaths are events, never a group's size
        return [("n" if is_n else "count", g["c"], "", arm, False)]
    if kind == "proportion":
        return [("proportion", value, "", "", False)]
    return None
