"""Parse command-line arguments, call one stage function, print the result in Chinese."""

from __future__ import annotations

import os
import sys
import traceback

from ..core.errors import PipelineError
from ..core.logs import write_log
from .arguments import ARGPARSE_CHINESE, LIMIT_FLAGS, parser
from .commands import progress_bar

__all__ = ["ARGPARSE_CHINESE", "LIMIT_FLAGS", "main", "parser", "progress_bar", "run_parsed"]


def main(argv: list[str] | None = None) -> int:
    """Run one stage; print a Chinese message; return 2 on bad input, 1 on an internal error or when the stage says so
    (check found an error, format could not build a draft), 130 on Ctrl-C."""
    return run_parsed(parser().parse_args(argv), argv)


def run_parsed(args, argv: list[str] | None = None) -> int:
    """Run the stage of parsed arguments, turning every failure into a Chinese message and an exit code."""
    try:
        result = args.run(args)
        text, code = result if isinstance(result, tuple) else (result, 0)
        print(text)
        if code:
            return code
    except PipelineError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已中断：输出文件夹保持运行前的状态。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of our output (| head) went away: the work is done, nothing to say
        sys.stdout = open(os.devnull, "w")
        return 0
    except Exception:  # noqa: BLE001 - the one place every unexpected failure becomes a Chinese message
        command = " ".join(sys.argv[1:] if argv is None else argv)
        log = write_log(args.stage, f"python -m pipeline {command}\n\n{traceback.format_exc()}")
        print(f"错误：程序内部出错，未能完成“{args.stage}”。详细信息已写入 {log}，请把这个文件发给维护人员。", file=sys.stderr)
        return 1
    return 0
