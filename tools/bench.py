"""Time the roster stage against a naive pandas loop on N generated returns, and report peak memory.

python -m tools.bench --n 3000          # one size
python -m tools.bench --n 300 3000      # two sizes, and how the time grows between them

Each size gets its own folder of N personalised forms (1-5 people each, values as messy as units
write them; one in five without a usable recipient_id, so the unit is found from the cells) and a
recipients list of N units. The roster stage and the pandas loop (read_excel each file, concat,
to_excel, no validation) each run in a fresh child process, so each one's peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from openpyxl.writer.excel import ExcelWriter

from pipeline.core.recipients import Recipient
from pipeline.forms.spec import load_form_spec
from pipeline.forms.workbook import FIRST_DATA_ROW, form_workbook
from pipeline.roster.stage import build_roster

REPO = Path(__file__).resolve().parent.parent
DEFAULT_N = 3000
TIME_RATIO_TARGET = 0.10
RSS_TARGET_MB = 150
GROWTH_SLACK = 1.0  # time may grow at most as fast as the number of returns (10x for 10x)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红玲文辉建国飞鹏宇浩然欣怡晨阳子涵梓轩一诺雨桐"
TITLES = ("处长", "副处长", "一级主任科员", "四级调研员", "科员", "科长", "主任")
AREAS = ("010", "021", "022", "023", "0311", "0351", "0471", "024", "0431", "0451", "025", "0571", "0551", "0591")
CATEGORIES = ("省级", "兵团", "计划单列市", "副省级城市", "其他")


# Generating the returns ----------------------------------------------------------------------
def bench_units(n: int) -> list[Recipient]:
    """Return n synthetic recipient units with distinct names and aliases."""
    return [Recipient(f"u{i:05d}", f"测试{i:05d}市知识产权局", (f"测试{i:05d}市", f"测试{i:05d}市局"),
                      CATEGORIES[i % len(CATEGORIES)], i + 2) for i in range(n)]


def write_recipients(units: list[Recipient], path: Path) -> Path:
    """Write the units as a recipients CSV."""
    lines = ["id,name,aliases,category"] + [f"{u.id},{u.name},{'|'.join(u.aliases)},{u.category}" for u in units]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def person(rng: random.Random) -> list:
    """Return one person's cells as a unit might type them (numbers as numbers, spaces, +86, typos)."""
    mobile = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
    area = rng.choice(AREAS)
    office = f"{area}-{rng.randrange(2, 9)}{rng.randrange(10**6, 10**7)}"
    styles = (mobile, float(mobile), f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}", "+86 " + mobile, mobile[:-1])
    offices = (office, float(area[1:] + office.split("-")[1]), office + "转12", "无")
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    return [name, rng.choice(("男", "女", "男性", "女士")), rng.choice(TITLES), rng.choice(offices),
            rng.choices(styles, weights=(60, 20, 10, 8, 2))[0], rng.choice(("", "", "", "负责日常联络"))]


def filled_form(spec, unit: Recipient, people: list[list], tagged: bool):
    """Return a personalised form (openpyxl) filled in as the unit would; untagged: its recipient_id removed."""
    workbook = form_workbook(spec, unit)
    if not tagged:
        workbook.custom_doc_props.props.clear()
    sheet = workbook.active
    for row, values in enumerate(people, start=FIRST_DATA_ROW):
        for column, value in enumerate([unit.name] + values, start=2):
            sheet.cell(row, column).value = value or None
    return workbook


def generate(folder: Path, n: int, seed: int = 2022) -> Path:
    """Write n returned workbooks (1-5 people each) and a recipients list of n units; return the list."""
    (folder / "returned").mkdir(parents=True, exist_ok=True)
    spec = load_form_spec(REPO / "inputs" / "annex2.yaml")
    rng, units = random.Random(seed), bench_units(n)
    for i, unit in enumerate(units):
        people = [person(rng) for _ in range(rng.randint(1, 5))]
        name = f"附件2 联系人信息表-{unit.name}.xlsx" if i % 2 else f"新建 Microsoft Excel 工作表 ({i}).xlsx"
        with zipfile.ZipFile(folder / "returned" / name, "w", zipfile.ZIP_DEFLATED) as package:
            ExcelWriter(filled_form(spec, unit, people, tagged=i % 5 != 0), package).save()
    return write_recipients(units, folder / "recipients.csv")


# Timing ----------------------------------------------------------------------------------------
def run_roster(folder: Path) -> float:
    """Consolidate folder/returned with build_roster and return the seconds it took."""
    start = time.perf_counter()
    build_roster(folder / "returned", folder / "recipients.csv", folder / "roster")
    return time.perf_counter() - start


def run_pandas(folder: Path, engine: str = "openpyxl") -> float:
    """Read every workbook with pandas.read_excel, concat, write one .xlsx; return the seconds it took."""
    import pandas

    start = time.perf_counter()
    frames = [pandas.read_excel(path, engine=engine) for path in sorted((folder / "returned").glob("*.xlsx"))]
    pandas.concat(frames, ignore_index=True).to_excel(folder / "pandas.xlsx", index=False)
    return time.perf_counter() - start


def run_child(command: list[str], kind: str) -> tuple[dict, float]:
    """Run one contender's command in a fresh child process; return the figures it prints (JSON) and its own peak
    RSS in MB (which it reports: ru_maxrss would also hold this process's peak, kept by Linux across execve)."""
    done = subprocess.run(command, stdout=subprocess.PIPE, cwd=REPO, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} 运行失败（退出码 {done.returncode}）")
    figures = json.loads(done.stdout)
    return figures, figures["peak_mb"]


def report_figures(figures: dict) -> None:
    """Print a child's figures as JSON for run_child, with its own peak memory added."""
    print(json.dumps({**figures, "peak_mb": own_peak_mb()}))


def own_peak_mb() -> float:
    """Return this process's own peak resident set size in MB (VmHWM: the memory it has used since exec)."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024


def measure(kind: str, folder: Path, engine: str = "openpyxl") -> tuple[float, float, float]:
    """Run one contender in a child process; return (seconds, its peak RSS, its largest reader's peak RSS) in MB."""
    command = [sys.executable, "-m", "tools.bench", "--child", kind, str(folder), "--pandas-engine", engine]
    figures, peak = run_child(command, kind)
    return figures["seconds"], peak, figures["readers_mb"]


# Reporting ---------------------------------------------------------------------------------------
def bench_one(n: int, base: Path, with_pandas: bool, engine: str = "openpyxl") -> dict:
    """Generate n returns under base and time the roster (and the pandas loop); print and return the figures."""
    folder = base / f"n{n}"
    start = time.perf_counter()
    generate(folder, n)
    print(f"已生成 {n} 份回执（{time.perf_counter() - start:.1f} 秒）：{folder / 'returned'}", flush=True)
    seconds, rss, readers = measure("roster", folder)
    figures = {"n": n, "roster_s": seconds, "roster_rss_mb": rss, "reader_rss_mb": readers}
    print(f"  roster：{seconds:.2f} 秒，峰值内存 {rss:.0f} MB（目标 < {RSS_TARGET_MB} MB；"
          f"每个读取进程峰值 {readers:.0f} MB，其中大部分与主进程共享）", flush=True)
    if with_pandas:
        figures["pandas_s"], figures["pandas_rss_mb"], _ = measure("pandas", folder, engine)
        figures["ratio"] = seconds / figures["pandas_s"]
        print(f"  pandas 逐个 read_excel（{engine}）+ concat + to_excel：{figures['pandas_s']:.2f} 秒，"
              f"峰值内存 {figures['pandas_rss_mb']:.0f} MB")
        print(f"  用时之比 roster / pandas = {figures['ratio']:.3f}（目标 ≤ {TIME_RATIO_TARGET}）", flush=True)
    return figures


def growth(results: list[dict]) -> str:
    """Return the Chinese line comparing the time of the largest and the smallest size."""
    small, large = results[0], results[-1]
    factor, target = large["roster_s"] / small["roster_s"], GROWTH_SLACK * large["n"] / small["n"]
    verdict = "达标" if factor <= target else "未达标"
    return (f"规模：{large['n']} 份用时是 {small['n']} 份的 {factor:.1f} 倍"
            f"（份数为 {large['n'] / small['n']:.0f} 倍；目标 ≤ {target:.0f} 倍，{verdict}）")


def parser() -> argparse.ArgumentParser:
    """Build the benchmark's argument parser."""
    args = argparse.ArgumentParser(prog="python -m tools.bench",
                                   description="生成 N 份回执，比较 roster 汇总与 pandas 逐个读取合并的用时和内存。")
    args.add_argument("--n", type=int, nargs="+", default=[DEFAULT_N], help=f"回执份数，可写多个（默认 {DEFAULT_N}）")
    args.add_argument("--dir", type=Path, help="生成文件的目录（默认临时目录，结束后删除）")
    args.add_argument("--no-pandas", action="store_true", help="只测 roster，不跑 pandas 对照")
    args.add_argument("--pandas-engine", default="openpyxl", help="pandas.read_excel 的引擎（默认 openpyxl，即当前默认）")
    args.add_argument("--child", nargs=2, metavar=("KIND", "FOLDER"), help=argparse.SUPPRESS)
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with --child, one contender) and print the figures in Chinese; return 0."""
    args = parser().parse_args(argv)
    if args.child:
        kind, folder = args.child
        seconds = run_roster(Path(folder)) if kind == "roster" else run_pandas(Path(folder), args.pandas_engine)
        readers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest reader process
        report_figures({"seconds": seconds, "readers_mb": readers})
        return 0
    with tempfile.TemporaryDirectory(prefix="roster-bench-") as scratch:
        base = args.dir or Path(scratch)
        results = [bench_one(n, base, not args.no_pandas, args.pandas_engine) for n in sorted(args.n)]
    if len(results) > 1:
        print(growth(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
