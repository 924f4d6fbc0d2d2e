"""Video files as ffmpeg sees them: the upload check every app calls, and short clips
rendered locally (demo data, tests).

The ffmpeg binary is the one the ``imageio-ffmpeg`` package ships (no system ffmpeg and no
ffprobe needed). A file is judged by what ffmpeg reads from it — container, streams,
duration — never by its name. ffmpeg only opens local files here and only with the
demuxers of the accepted containers, so a playlist or an image renamed ``.mp4`` is refused
before anything else looks at it.
"""
from __future__ import annotations

import functools
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.errors import InvalidInput

# ffmpeg demuxer name → the container a person would call it.
_DEMUXERS = {"mov,mp4,m4a,3gp,3g2,mj2": "mp4", "matroska,webm": "webm"}
# Codecs the browsers we serve can play.
VIDEO_CODECS = {"h264", "hevc", "vp8", "vp9", "av1"}
PROBE_TIMEOUT_SECONDS = 30

_INPUT = re.compile(r"^Input #0, (?P<demuxer>[^ ]+), from ", re.M)
_DURATION = re.compile(r"^\s*Duration: (?P<h>\d+):(?P<m>\d\d):(?P<s>\d\d(?:\.\d+)?)", re.M)
_STREAM = re.compile(r"^\s*Stream #0:\d+\S*: (?P<type>Video|Audio): (?P<codec>[a-z0-9_]+)(?P<rest>.*)$", re.M)
_SIZE = re.compile(r"\b(?P<w>\d{2,5})x(?P<h>\d{2,5})\b")
_BRAND = re.compile(r"^\s*major_brand\s*: (?P<brand>.+)$", re.M)
_TIME = re.compile(r"time=(?P<h>\d+):(?P<m>\d\d):(?P<s>\d\d(?:\.\d+)?)")


@dataclass(frozen=True)
class VideoInfo:
    container: str  # mp4, mov or webm
    video_codec: str
    audio_codec: str  # "" when silent
    duration_ms: int
    width: int
    height: int

    @property
    def seconds(self) -> float:
        return self.duration_ms / 1000


@functools.cache
def ffmpeg_exe() -> str:
    """The bundled ffmpeg (``IMAGEIO_FFMPEG_EXE`` in the environment overrides it)."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def _ms(h: str, m: str, s: str) -> int:
    return round((int(h) * 3600 + int(m) * 60 + float(s)) * 1000)


def _run(args: list[str], timeout: int = PROBE_TIMEOUT_SECONDS) -> str:
    """Run ffmpeg and return what it printed on stderr (where it describes its input)."""
    result = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout, check=False,
    )
    return result.stderr.decode("utf-8", "replace")


def _input_args(path: str) -> list[str]:
    return ["-protocol_whitelist", "file", "-format_whitelist", ",".join(_DEMUXERS), "-i", path]


def probe_video(path: str | os.PathLike) -> VideoInfo | None:
    """What ffmpeg reads from the file at ``path``; None when it is not a video it accepts."""
    path = str(path)
    try:
        text = _run(_input_args(path))
    except subprocess.TimeoutExpired:
        return None
    match = _INPUT.search(text)
    if match is None or match["demuxer"] not in _DEMUXERS:
        return None
    container = _DEMUXERS[match["demuxer"]]
    brand = _BRAND.search(text)
    if container == "mp4" and brand and brand["brand"].strip() == "qt":
        container = "mov"
    video_codec = audio_codec = ""
    width = height = 0
    for stream in _STREAM.finditer(text):
        if stream["type"] == "Video" and not video_codec and "attached pic" not in stream["rest"]:
            video_codec = stream["codec"]
            size = _SIZE.search(stream["rest"])
            if size:
                width, height = int(size["w"]), int(size["h"])
        elif stream["type"] == "Audio" and not audio_codec:
            audio_codec = stream["codec"]
    duration = _DURATION.search(text)
    if duration:
        duration_ms = _ms(duration["h"], duration["m"], duration["s"])
    elif video_codec:
        duration_ms = _decoded_duration_ms(path)
    else:
        duration_ms = 0
    return VideoInfo(container, video_codec, audio_codec, duration_ms, width, height)


def _decoded_duration_ms(path: str) -> int:
    """Duration by reading the video stream through (for files whose header does not say it)."""
    try:
        text = _run([*_input_args(path), "-map", "0:v:0", "-c", "copy", "-f", "null", "-"])
    except subprocess.TimeoutExpired:
        return 0
    times = _TIME.findall(text)
    return _ms(*times[-1]) if times else 0


def _seconds_text(seconds: float) -> str:
    seconds = round(seconds, 1)
    if seconds < 60:
        return _("%(s)s s") % {"s": f"{seconds:g}"}
    minutes, rest = divmod(round(seconds), 60)
    return _("%(m)d min %(s)d s") % {"m": minutes, "s": rest}


def validate_video_upload(file, *, field: str = "video_file") -> VideoInfo:
    """Accept an uploaded mp4/mov/webm video within the size and duration limits.

    Raises :class:`InvalidInput` naming ``field`` and the rule; returns what was read.
    """
    types = ", ".join(settings.VIDEO_ALLOWED_EXTENSIONS)
    if file.size > settings.VIDEO_MAX_BYTES:
        raise InvalidInput(
            _("The video is too large (%(size)s): at most %(max)s.")
            % {"size": filesizeformat(file.size), "max": filesizeformat(settings.VIDEO_MAX_BYTES)},
            field=field, code="too_large",
        )
    info = _probe_upload(file)
    if info is None:
        raise InvalidInput(_("The file is not a readable video: upload a %(types)s video.") % {"types": types},
                           field=field, code="video_type")
    if not info.video_codec:
        raise InvalidInput(_("The file has no picture, only sound: upload a %(types)s video.") % {"types": types},
                           field=field, code="no_video_stream")
    if info.video_codec not in VIDEO_CODECS:
        raise InvalidInput(
            _("Videos encoded as %(codec)s cannot be played in browsers: use H.264, H.265, VP8, VP9 or AV1.")
            % {"codec": info.video_codec}, field=field, code="video_codec",
        )
    if info.seconds < settings.VIDEO_MIN_SECONDS:
        raise InvalidInput(
            _("The video is too short (%(length)s): at least %(min)s.")
            % {"length": _seconds_text(info.seconds), "min": _seconds_text(settings.VIDEO_MIN_SECONDS)},
            field=field, code="too_short",
        )
    if info.seconds > settings.VIDEO_MAX_SECONDS:
        raise InvalidInput(
            _("The video is too long (%(length)s): at most %(max)s.")
            % {"length": _seconds_text(info.seconds), "max": _seconds_text(settings.VIDEO_MAX_SECONDS)},
            field=field, code="too_long",
        )
    return info


def _probe_upload(file) -> VideoInfo | None:
    """Probe an uploaded file: in place when Django spooled it to disk, else via a temp copy."""
    temporary_path = getattr(file, "temporary_file_path", None)
    if temporary_path is not None:
        return probe_video(temporary_path())
    with tempfile.NamedTemporaryFile(suffix=".upload") as tmp:
        file.seek(0)
        for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b""):
            tmp.write(chunk)
        tmp.flush()
        file.seek(0)
        return probe_video(tmp.name)


def _font() -> str | None:
    for candidate in ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                      "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                      "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"):
        if Path(candidate).exists():
            return candidate
    return None


def render_clip(out: str | os.PathLike, *, seconds: float = 4, size: tuple[int, int] = (360, 640),
                colors: tuple[str, str] = ("fe2c55", "25f4ee"), fps: int = 24, label: str = "",
                audio: bool = True) -> Path:
    """Render a short H.264/AAC mp4 (a moving gradient, an optional label) to ``out``.

    Small and fast: a 4 s 360×640 clip is about 50 KB and takes about a second.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    w, h = size
    c0, c1 = (c.lstrip("#") for c in colors)
    video = (f"gradients=s={w}x{h}:c0={c0}:c1={c1}:x0=0:y0=0:x1={w}:y1={h}:nb_colors=2:speed=0.03"
             f":d={seconds}:r={fps}")
    filters = []
    font = _font()
    if label and font:
        text = label.replace("\\", "").replace("'", "").replace(":", " ").replace("%", " ")
        filters.append(f"drawtext=fontfile={font}:text='{text}':fontcolor=white@0.9:fontsize={max(16, w // 12)}"
                       f":x=(w-tw)/2:y=h*0.38:shadowcolor=black@0.35:shadowx=2:shadowy=2")
    args = ["-loglevel", "error", "-y", "-f", "lavfi", "-i", video]
    if audio:
        # A quiet two-note chord, so that unmuting is audible without being unpleasant.
        args += ["-f", "lavfi", "-i", f"aevalsrc=0.04*sin(2*PI*330*t)+0.03*sin(2*PI*495*t):s=22050:d={seconds}"]
    if filters:
        args += ["-vf", ",".join(filters)]
    args += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "30", "-pix_fmt", "yuv420p", "-movflags", "+faststart"]
    if audio:
        args += ["-c:a", "aac", "-b:a", "32k", "-shortest"]
    tmp = out.with_suffix(".part.mp4")
    result = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", *args, str(tmp)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120, check=False)
    if result.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise RuntimeError(f"ffmpeg could not render {out.name}: {result.stderr.decode('utf-8', 'replace')[-500:]}")
    tmp.replace(out)
    return out
