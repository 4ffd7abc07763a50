# 公文流水线 / document pipeline. `make help` lists every target.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUN    := $(BIN)/python -m pipeline
OUT    := outputs
COMPANIES := inputs/examples/companies
HISTORY := var/history.sqlite
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
EXAMPLES := $(wildcard inputs/examples/*.yaml)
WITH_ANNEXES := $(shell grep -l '^annexes:' $(EXAMPLES))

.DEFAULT_GOAL := help
.PHONY: help install all notice annexes packet forms roster remind history examples format check sample-seal pdf preview doctor test test-fast bench bench-forms templates clean

help: ## 列出所有目标 / list every target
	@echo "用法 / usage: make <目标 target>"
	@grep -E '^[a-z][a-zA-Z_-]*:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | awk -F'\t' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(STAMP) ## 创建 .venv 并安装依赖 / create .venv and install

# Each stage's command line, declared once: its own target runs it, and `make all` runs them all in one process.
NOTICE   := notice --input inputs/notice.yaml --out $(OUT)
ANNEXES  := annexes --input inputs/notice.yaml --out $(OUT)
PACKET   := packet --input inputs/notice.yaml --out $(OUT)
FORMS    := forms --spec inputs/annex2.yaml --notice inputs/notice.yaml --recipients inputs/recipients.csv --out $(OUT)/forms \
  --manifest $(OUT)
ROSTER   := roster --spec inputs/annex2.yaml --returned inputs/returned --recipients inputs/recipients.csv --out $(OUT)/roster \
  --manifest $(OUT) --history $(HISTORY)
REMIND   := remind --report $(OUT)/roster/report.json --input inputs/notice.yaml --out $(OUT)/remind \
  --recipients inputs/recipients.csv --history $(HISTORY)
FORMAT   := format $(or $(DRAFT),inputs/drafts) --out $(OUT)/format
EXAMPLE_NOTICES := notice $(foreach f,$(EXAMPLES),--input $(f)) --out $(OUT)/examples
EXAMPLE_ANNEXES := annexes $(foreach f,$(WITH_ANNEXES),--input $(f)) --out $(OUT)/examples
EXAMPLE_PACKETS := packet $(foreach f,$(WITH_ANNEXES),--input $(f)) --out $(OUT)/examples
COMPANY_FORMS   := forms --spec $(COMPANIES)/spec.yaml --recipients $(COMPANIES)/recipients.csv --out $(OUT)/examples/companies/forms
COMPANY_ROSTER  := roster --spec $(COMPANIES)/spec.yaml --returned $(COMPANIES)/returned --recipients $(COMPANIES)/recipients.csv \
  --out $(OUT)/examples/companies/roster

# make all runs every stage in one process (`batch`: imports once, JOBS commands side by side in forked copies, remind
# after roster), then converts the documents of outputs/, outputs/examples/ and outputs/format/ all at once, in JOBS
# LibreOffice processes side by side.
all: $(STAMP) ## 在样例数据上运行全部阶段 / run every stage on the sample inputs
	@$(RUN) batch --jobs $(JOBS) --pdf $(OUT) --pdf $(OUT)/examples '$(ROSTER)' '$(NOTICE)' '$(ANNEXES)' '$(PACKET)' \
	  '$(FORMS)' '$(EXAMPLE_NOTICES)' '$(EXAMPLE_ANNEXES)' '$(EXAMPLE_PACKETS)' '$(COMPANY_FORMS)' '$(COMPANY_ROSTER)' \
	  then '$(REMIND)' '$(FORMAT)'
	@echo "完成：输出在 $(OUT)/，清单见 $(OUT)/manifest.json"

notice: $(STAMP) ## 生成通知 inputs/notice.yaml → outputs/ / build the notice
	$(RUN) $(NOTICE)

annexes: $(STAMP) ## 生成附件1–3（.docx）和附件3 转发用 PDF / build the annexes
	$(RUN) $(ANNEXES)

packet: $(STAMP) ## 合成通知与附件（版记在最后一页）/ build the combined packet
	$(RUN) $(PACKET)

forms: $(STAMP) ## 生成 Excel 填报表和每个收文单位一份的个性化表 / build the Excel forms
	$(RUN) $(FORMS)

roster: $(STAMP) ## 汇总 inputs/returned/ 中交回的表格到 outputs/roster/ / consolidate the returned forms
	$(RUN) $(ROSTER)

remind: roster ## 由 outputs/roster/ 的汇总结果生成催报函、更正函、催报电话清单和更正表到 outputs/remind/ / reminders
	$(RUN) $(REMIND)

history: $(STAMP) ## 列出历次汇总及其间的变化（var/history.sqlite）/ show every roster run and what changed
	$(RUN) history --db $(HISTORY)

examples: $(STAMP) ## 生成 inputs/examples/ 中的各类公文，并汇总带类型的推荐企业汇总表示例 / build the examples
	$(RUN) $(EXAMPLE_NOTICES)
	$(RUN) $(EXAMPLE_ANNEXES)
	$(RUN) $(EXAMPLE_PACKETS)
	$(RUN) pdf --out $(OUT)/examples --if-available
	$(RUN) $(COMPANY_FORMS)
	$(RUN) $(COMPANY_ROSTER)

format: $(STAMP) ## 把草稿排成公文：make format DRAFT=草稿（默认 inputs/drafts/ 中全部）→ outputs/format/
	$(RUN) $(FORMAT)

check: $(STAMP) ## 按 GB/T 9704 检查 .docx：make check FILE=文件（默认 outputs/ 中的通知和合订本）
	@if [ -n "$(FILE)" ]; then $(RUN) check "$(FILE)"; else \
	  set -- $(OUT)/*通知*.docx; \
	  if [ ! -e "$$1" ]; then echo "没有要检查的文件：请写 make check FILE=文件.docx，或先运行 make notice"; exit 2; fi; \
	  $(RUN) check "$$@"; \
	fi

sample-seal: $(STAMP) ## 用脚本绘制示例印章和示例签名章（inputs/examples/）/ draw the sample seal and signature stamp
	$(BIN)/python -m tools.sample_seal --out inputs/examples

pdf: notice annexes packet ## 用 LibreOffice 生成各文件的 PDF / convert every document to PDF (needs LibreOffice)
	$(RUN) pdf --out $(OUT)

preview: pdf ## 把合订本 PDF 每页转成 PNG 到 outputs/preview/ / render the packet pages to PNG
	$(RUN) preview --out $(OUT)

doctor: $(STAMP) ## 检查 LibreOffice、字体和 poppler / check LibreOffice, fonts and poppler
	@$(RUN) doctor

test: $(STAMP) ## 运行全部测试（并行）/ run the whole test suite, in parallel
	$(BIN)/python -m pytest -n auto --dist loadgroup

test-fast: $(STAMP) ## 快速测试：不含需要 LibreOffice 的测试 / the tests that need no LibreOffice, in parallel
	$(BIN)/python -m pytest -m "not libreoffice" -n auto --dist loadgroup

bench: $(STAMP) ## 性能基准：roster 对比 pandas 逐个读取（默认 3,000 份）/ benchmark roster against a pandas loop
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m tools.bench --n $(or $(N),3000)

bench-forms: $(STAMP) ## 性能基准：forms 阶段对比 openpyxl 逐份载入空白表保存（默认 3,000 份，另测 300 份看增长）/ benchmark the forms stage
	$(BIN)/python -m tools.bench_forms --n $(or $(N),3000)

templates: $(STAMP) ## 按版式常量重建 Word 模板（覆盖手工修改）/ rebuild templates from layout constants
	$(RUN) templates --out templates

clean: ## 删除 outputs/ / remove generated outputs
	rm -rf $(OUT)
