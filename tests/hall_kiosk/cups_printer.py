"""A private CUPS server with a cups-pdf queue: the kiosk's printer in the tests.

The printer is outside what we run (DESIGN.md §8), so the tests use CUPS's own virtual PDF
printer rather than a fake: ``cupsd`` started in the foreground with its own configuration
and state in a temporary folder, listening on 127.0.0.1 at a port below 32768, and one
``cups-pdf`` queue per test process. cups-pdf reads its settings from
``/etc/cups/cups-pdf-<queue>.conf`` (its configuration folder is compiled in), so the fixture
writes that one file for its queue — pointing the output into the temporary folder — and
removes it afterwards. It needs root (as CI and the developers' machines run) for cupsd to
switch to the ``lp`` user for its filters.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

CUPS_PDF_CONF_DIR = Path("/etc/cups")
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")


@dataclass
class CupsPrinter:
    server: str  # host:port
    queue: str
    out_dir: Path
    log_dir: Path

    def lp_admin(self, *args: str) -> None:
        subprocess.run([*args[:1], "-h", self.server, *args[1:]], check=True, capture_output=True)

    def stop(self, reason: str = "Media empty") -> None:
        """What CUPS does when the printer runs out of paper: the queue is stopped."""
        self.lp_admin("cupsdisable", "-r", reason, self.queue)

    def start(self) -> None:
        self.lp_admin("cupsenable", self.queue)
        self.lp_admin("cupsaccept", self.queue)

    def reject(self, reason: str = "offline") -> None:
        """The queue refuses jobs (``lp`` itself fails)."""
        self.lp_admin("cupsreject", "-r", reason, self.queue)

    def cancel_all(self) -> None:
        subprocess.run(["cancel", "-h", self.server, "-a", self.queue], capture_output=True)

    def printed(self, *, timeout: float = 30) -> list[Path]:
        """The PDFs cups-pdf has written, once CUPS has no job left in the queue (cups-pdf
        writes its file progressively: a file is complete only when its job is)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pending = subprocess.run(
                ["lpstat", "-h", self.server, "-o", self.queue], capture_output=True, text=True
            ).stdout.strip()
            files = sorted(self.out_dir.glob("*.pdf"))
            if files and not pending:
                return files
            time.sleep(0.2)
        return []


def _free_port() -> int:
    base = 20000 + (os.getpid() % 5000)
    for port in range(base, base + 2000):
        if port >= 32768:
            break
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below 32768 for cupsd")


def cups_start(root: Path, *, queue: str):
    """Start cupsd under ``root`` with a cups-pdf ``queue``; returns (process, printer)."""
    for sub in ("spool", "cache", "state", "log", "tmp", "out", "ppd"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    root.chmod(0o755)
    for sub in ("spool", "tmp", "out"):
        (root / sub).chmod(0o1777)
    port = _free_port()
    (root / "cupsd.conf").write_text(
        f"Listen 127.0.0.1:{port}\nLogLevel info\nBrowsing Off\nDefaultAuthType None\n"
        "WebInterface No\nMaxJobs 0\nPreserveJobHistory Yes\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order allow,deny\n    Allow all\n  </Limit>\n"
        "</Policy>\n"
    )
    (root / "cups-files.conf").write_text(
        f"ServerRoot {root}\nRequestRoot {root}/spool\nCacheDir {root}/cache\n"
        f"StateDir {root}/state\nTempDir {root}/tmp\nAccessLog {root}/log/access_log\n"  # noqa: S108 (a folder under root)
        f"ErrorLog {root}/log/error_log\nPageLog {root}/log/page_log\n"
        "User lp\nGroup lp\nSystemGroup root\nSandboxing Relaxed\n"
    )
    process = subprocess.Popen(
        ["cupsd", "-f", "-c", str(root / "cupsd.conf"), "-s", str(root / "cups-files.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    server = f"127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while subprocess.run(["lpstat", "-h", server, "-r"], capture_output=True).returncode != 0:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log = (root / "log" / "error_log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"cupsd did not start:\n{log}")
        time.sleep(0.1)
    conf = CUPS_PDF_CONF_DIR / f"cups-pdf-{queue}.conf"
    conf.write_text(f"Out {root}/out\nAnonDirName {root}/out\nLabel 0\nGrp root\nLogType 0\n")
    printer = CupsPrinter(server=server, queue=queue, out_dir=root / "out", log_dir=root / "log")
    # cupsd answers lpstat a moment before it takes administrative requests: a few tries.
    command = [
        "lpadmin",
        "-h",
        server,
        "-p",
        queue,
        "-E",
        "-v",
        f"cups-pdf:/{queue}",
        "-P",
        str(PPD),
    ]
    for _attempt in range(20):
        added = subprocess.run(command, capture_output=True, text=True)
        if added.returncode == 0:
            break
        time.sleep(0.25)
    else:
        process.kill()
        raise RuntimeError(f"lpadmin failed: {added.stderr}")
    return process, printer, conf


def cups_stop(process: subprocess.Popen, conf: Path) -> None:
    """Stop cupsd and remove the queue's cups-pdf files outside the temporary folder."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    conf.unlink(missing_ok=True)
    queue = conf.name.removeprefix("cups-pdf-").removesuffix(".conf")
    Path(f"/var/log/cups/cups-pdf-{queue}_log").unlink(missing_ok=True)


def cups_available() -> bool:
    return all(shutil.which(tool) for tool in ("cupsd", "lp", "lpadmin")) and PPD.exists()


def page_image(pdf: Path, *, dpi: int = 40):
    """The first page as a small grayscale image (poppler's pdftoppm), for comparing."""
    from PIL import Image

    prefix = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", "1", "-l", "1", str(pdf), str(prefix)],
        check=True,
        capture_output=True,
    )
    image_path = next(prefix.parent.glob(f"{prefix.name}*.png"))
    with Image.open(image_path) as image:
        return image.convert("L").copy()


def pages_differ(first: Path, second: Path) -> float:
    """Mean pixel difference (0–255) of two PDFs' first pages rendered alike: a printed copy
    of a document stays within a few levels of it; another document does not."""
    from PIL import ImageChops, ImageStat

    a, b = page_image(first), page_image(second)
    if a.size != b.size:
        b = b.resize(a.size)
    return ImageStat.Stat(ImageChops.difference(a, b)).mean[0]
