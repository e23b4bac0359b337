"""Converting generated .docx files to PDF and PNG with LibreOffice headless and poppler, for the
slow test and for looking at the pages. Chinese font names (仿宋, 宋体, 黑体, 楷体) are mapped to the
Noto CJK fonts in a fontconfig file of the conversion's own, so the pages show what Word shows
where those fonts exist; nothing system-wide is changed."""
import os
import shutil
import subprocess
from pathlib import Path

FONT_ALIASES = {"仿宋": "Noto Serif CJK SC", "宋体": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC",
                "楷体": "Noto Serif CJK SC"}


def tools_missing() -> list:
    return [tool for tool in ("soffice", "pdfinfo", "pdftoppm") if shutil.which(tool) is None]


def _fontconfig(directory: Path) -> Path:
    matches = "".join(
        f'<match target="pattern"><test name="family"><string>{name}</string></test>'
        f'<edit name="family" mode="assign" binding="strong"><string>{font}</string></edit></match>'
        for name, font in FONT_ALIASES.items()
    )
    path = directory / "fonts.conf"
    path.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include>{matches}</fontconfig>',
                    encoding="utf-8")
    return path


def to_pdf(docx_paths, out_dir: Path) -> list:
    """PDFs of the .docx files (one LibreOffice run, a profile of its own)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, FONTCONFIG_FILE=str(_fontconfig(out_dir)))
    profile = (out_dir / "lo-profile").resolve().as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out_dir), *map(str, docx_paths)], check=True, env=env, timeout=600,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return [out_dir / (Path(p).stem + ".pdf") for p in docx_paths]


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def to_png(pdf: Path, out_dir: Path, dpi=60) -> list:
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(out_dir / pdf.stem)], check=True)
    return sorted(out_dir.glob(f"{pdf.stem}-*.png"))
