"""CronJob schedules as the API server parses them (robfig/cron's standard parser) and time zones.
Shared by the API-server checks and the CronJob spec, so `synth` refuses what `check` would."""
from __future__ import annotations

import re
import zoneinfo

DESCRIPTORS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
_MONTHS = {m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())}
_DAYS = {d: i for i, d in enumerate("sun mon tue wed thu fri sat".split())}
# (name, low, high, names) for minute, hour, day of month, month, day of week
_FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (("minute", 0, 59, {}), ("hour", 0, 23, {}), ("day of month", 1, 31, {}),
           ("month", 1, 12, _MONTHS), ("day of week", 0, 6, _DAYS))
_DURATION = re.compile(r"([0-9]+(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+")
_TZ_PART = re.compile(r"[A-Za-z\.\-_0-9+]{1,14}")


def schedule_error(schedule: str) -> str | None:
    """robfig/cron's error for a bad standard schedule, or None when it parses."""
    spec = schedule.strip()
    if not spec:
        return "empty spec string"
    if spec.startswith(("TZ=", "CRON_TZ=")):
        spec = spec.partition(" ")[2].strip()
    if spec.startswith("@"):
        if spec in DESCRIPTORS:
            return None
        if spec.startswith("@every "):
            every = spec[len("@every "):]
            if _DURATION.fullmatch(every):
                return None
            return f"failed to parse duration {spec}: time: invalid duration \"{every}\""
        return f"unrecognized descriptor: {spec}"
    fields = spec.split()
    if len(fields) != 5:
        return f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]"
    for text, (_, low, high, names) in zip(fields, _FIELDS):
        error = _field_error(text, low, high, names)
        if error:
            return error
    return None


def _field_error(text: str, low: int, high: int, names: dict[str, int]) -> str | None:
    for part in text.split(","):
        range_text, slash, step_text = part.partition("/")
        start: int | None
        end: int | None
        if range_text in ("*", "?"):
            start, end = low, high
        else:
            lo_text, dash, hi_text = range_text.partition("-")
            start = _number(lo_text, names)
            end = _number(hi_text, names) if dash else start
            if start is None or end is None:
                bad = lo_text if start is None else hi_text
                return f"failed to parse int from {bad}: strconv.Atoi: parsing \"{bad}\": invalid syntax"
            if slash and not dash:
                end = high
        if slash:
            step = _number(step_text, {})
            if step is None:
                return f"failed to parse int from {step_text}: strconv.Atoi: parsing \"{step_text}\": invalid syntax"
            if step == 0:
                return f"step of range should be a positive number: {part}"
        if start < low:
            return f"beginning of range ({start}) below minimum ({low}): {part}"
        if end > high:
            return f"end of range ({end}) above maximum ({high}): {part}"
        if start > end:
            return f"beginning of range ({start}) beyond end of range ({end}): {part}"
    return None


def _number(text: str, names: dict[str, int]) -> int | None:
    if text.lower() in names:
        return names[text.lower()]
    return int(text) if text.isascii() and text.isdigit() else None


def time_zone_error(name: str) -> str | None:
    """The API server loads the zone from its tz database; "Local" and path tricks are refused."""
    if not name:
        return "timeZone must be nil or non-empty string"
    if name.lower() == "local":
        return "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
    for part in name.split("/"):
        if part in (".", "..") or part.startswith("-") or not _TZ_PART.fullmatch(part):
            return f"unknown time zone {name}"
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return f"unknown time zone {name}"
    return None
