"""Time the forms stage against a naive openpyxl loop on N generated recipients, and report peak memory.

python -m tools.bench_forms --n 3000          # 300 and 3,000 recipients: times (wall and CPU), ratio, memory, growth
python -m tools.bench_forms --n 300 1000 3000

For each size: a recipients list of N units; the forms stage (build_all_forms: the blank form and one
personalised copy per unit, as one set, and the manifest) and the naive loop (for each unit, load the
blank form with openpyxl, write the unit into it and its recipient_id property, save) each run in a
fresh child process, which reports its own peak RSS (VmHWM). With more than
one size, the stage's time at the largest size is compared with the smallest (linear growth).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
from openpyxl.packaging.custom import StringProperty

from pipeline.forms.build import FormNames, build_all_forms
from pipeline.forms.spec import load_form_spec
from pipeline.forms.workbook import FIRST_DATA_ROW, INSTRUCTION_ROW
from tools.bench import bench_units, report_figures, run_child, write_recipients

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "inputs" / "annex2.yaml"
NAMES = FormNames("附件2 联系人信息表", "annex2_form", "国家知识产权局办公室", dt.date(2022, 3, 21))
DEFAULT_N = 3000
GROWTH_BASE = 300  # a run at N also times this size, to show how the time grows
TIME_RATIO_TARGET = 0.15
RSS_TARGET_MB = 150
GROWTH_SLACK = 1.2  # time may grow at most 1.2 times as fast as the number of forms (12x for 10x)


# The two contenders (each in its own child process) ------------------------------------------
def run_stage(folder: Path) -> None:
    """Run the forms stage for folder/recipients.csv into folder/forms (manifest in folder)."""
    build_all_forms(SPEC, folder / "recipients.csv", folder / "forms", folder, NAMES)


def run_naive(folder: Path) -> None:
    """For each unit: load the blank form with openpyxl, set the unit and its id, save."""
    spec = load_form_spec(SPEC)
    units = [line.split(",")[:2] for line in (folder / "recipients.csv").read_text(encoding="utf-8").splitlines()[1:]]
    blank, out = folder / f"{NAMES.stem}.xlsx", folder / "naive"
    out.mkdir(exist_ok=True)
    unit_column = spec.columns.index(spec.unit_column) + 1
    for unit_id, name in units:
        workbook = openpyxl.load_workbook(blank)
        sheet = workbook.active
        sheet.cell(INSTRUCTION_ROW, 1).value = f"填报单位：{name}\n{spec.instruction}"
        sheet.cell(FIRST_DATA_ROW, unit_column).value = name
        workbook.custom_doc_props.append(StringProperty(name="recipient_id", value=unit_id))
        workbook.properties.title = f"{spec.title}（{name}）"
        workbook.save(out / f"{NAMES.stem}-{name}.xlsx")


def measure(kind: str, folder: Path) -> tuple[float, float, float]:
    """Run one contender in a fresh child process; return (seconds, CPU seconds, the child's peak RSS in MB).

    Both times are taken inside the child around the work alone (not the interpreter's start or imports).
    """
    figures, peak = run_child([sys.executable, "-m", "tools.bench_forms", "--child", kind, str(folder)], kind)
    return figures["seconds"], figures["cpu"], peak


# Reporting -----------------------------------------------------------------------------------
def bench_one(n: int, base: Path) -> dict:
    """Write n recipients under base, time the stage and the naive loop; print and return the figures."""
    folder = base / f"n{n}"
    folder.mkdir(parents=True, exist_ok=True)
    write_recipients(bench_units(n), folder / "recipients.csv")
    stage_s, stage_cpu, stage_mb = measure("stage", folder)  # also writes the blank form the naive loop loads
    naive_s, naive_cpu, naive_mb = measure("naive", folder)
    ratio = stage_s / naive_s
    print(f"{n} 份填报表：", flush=True)
    print(f"  forms 阶段：{stage_s:.2f} 秒（每份 {stage_s / n * 1000:.2f} 毫秒；CPU {stage_cpu:.2f} 秒），"
          f"峰值内存 {stage_mb:.0f} MB（目标 < {RSS_TARGET_MB} MB，{verdict(stage_mb < RSS_TARGET_MB)}）")
    print(f"  openpyxl 逐份载入空白表、写单位、保存：{naive_s:.2f} 秒（每份 {naive_s / n * 1000:.2f} 毫秒；"
          f"CPU {naive_cpu:.2f} 秒），峰值内存 {naive_mb:.0f} MB")
    print(f"  用时之比 forms / 逐份 = {ratio:.3f}（目标 ≤ {TIME_RATIO_TARGET}，{verdict(ratio <= TIME_RATIO_TARGET)}；"
          f"CPU 时间之比 {stage_cpu / naive_cpu:.3f}）", flush=True)
    return {"n": n, "stage_s": stage_s, "stage_cpu_s": stage_cpu, "stage_rss_mb": stage_mb, "naive_s": naive_s,
            "naive_cpu_s": naive_cpu, "naive_rss_mb": naive_mb, "ratio": ratio}


def verdict(ok: bool) -> str:
    """Return 达标 or 未达标."""
    return "达标" if ok else "未达标"


def growth(results: list[dict]) -> str:
    """Return the Chinese line comparing the stage's time at the largest and the smallest size."""
    small, large = results[0], results[-1]
    factor, target = large["stage_s"] / small["stage_s"], GROWTH_SLACK * large["n"] / small["n"]
    cpu = large["stage_cpu_s"] / small["stage_cpu_s"]
    return (f"规模：{large['n']} 份用时是 {small['n']} 份的 {factor:.1f} 倍，CPU 时间 {cpu:.1f} 倍"
            f"（份数为 {large['n'] / small['n']:.0f} 倍；目标 ≤ {target:.0f} 倍，{verdict(factor <= target)}）")


def sizes(asked: list[int]) -> list[int]:
    """Return the sizes to time: those asked, and GROWTH_BASE too when a larger one is asked."""
    return sorted(set(asked) | ({GROWTH_BASE} if max(asked) > GROWTH_BASE else set()))


def parser() -> argparse.ArgumentParser:
    """Build the benchmark's argument parser."""
    args = argparse.ArgumentParser(prog="python -m tools.bench_forms",
                                   description="生成 N 个收文单位，比较 forms 阶段与 openpyxl 逐份载入空白表保存的用时和内存。")
    args.add_argument("--n", type=int, nargs="+", default=[DEFAULT_N],
                      help=f"单位数，可写多个（默认 {DEFAULT_N}；大于 {GROWTH_BASE} 时也测 {GROWTH_BASE} 份以看增长）")
    args.add_argument("--dir", type=Path, help="生成文件的目录（默认临时目录，结束后删除）")
    args.add_argument("--child", nargs=2, metavar=("KIND", "FOLDER"), help=argparse.SUPPRESS)
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with --child, one contender) and print the figures in Chinese; return 0."""
    args = parser().parse_args(argv)
    if args.child:
        kind, folder = args.child
        start, cpu = time.perf_counter(), time.process_time()
        (run_stage if kind == "stage" else run_naive)(Path(folder))
        report_figures({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu})
        return 0
    if min(args.n) < 1:
        parser().error("--n 至少为 1")
    with tempfile.TemporaryDirectory(prefix="forms-bench-") as scratch:
        base = args.dir or Path(scratch)
        results = [bench_one(n, base) for n in sizes(args.n)]
    if len(results) > 1:
        print(growth(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
