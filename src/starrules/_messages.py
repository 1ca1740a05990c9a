"""Message catalogue: every problem code with its message and fix, in Chinese and English.

Codes are stable (documented in docs/errors.md); texts are for display only.  Templates use
``str.format`` fields filled from a problem's ``params``; a ``suggestion`` param, when
present, adds "did you mean …".
"""

from __future__ import annotations

from typing import Any, Mapping

# code -> (zh message, en message, zh fix, en fix)
CATALOGUE: dict[str, tuple[str, str, str, str]] = {
    # --- files and YAML -------------------------------------------------------------------
    "file-not-found": (
        "找不到文件 {file}", "file {file} not found",
        "检查路径是否正确。", "Check the path."),
    "file-unreadable": (
        "无法读取文件 {file}：{reason}", "cannot read {file}: {reason}",
        "检查文件的读取权限。", "Check that the file can be read (permissions)."),
    "file-too-large": (
        "文件过大（{size} 字节，上限 {limit} 字节）", "file too large ({size} bytes, limit {limit})",
        "拆分文件，或确认选对了文件。", "Split the file, or check that it is the right file."),
    "not-a-regular-file": (
        "{file} 不是普通文件（是设备、管道或套接字）", "{file} is not a regular file (a device, pipe or socket)",
        "指定一个普通的 YAML/JSON 文件。", "Name an ordinary YAML/JSON file."),
    "output-over-input": (
        "输出 {output} 会覆盖输入 {input}", "the output {output} would overwrite the input {input}",
        "把输出写到输入文件和输入文件夹之外的另一个文件。",
        "Write the output to another file, outside the input files and folders."),
    "output-unwritable": (
        "无法写入 {file}：{reason}（原有文件保持不变）", "cannot write {file}: {reason} (any previous file is left as it was)",
        "检查该文件夹是否存在、可写，磁盘是否已满。", "Check that the folder exists and is writable, and that the disk is not full."),
    "encoding": (
        "文件不是 UTF-8 编码", "file is not UTF-8 encoded",
        "用 UTF-8 编码另存该文件。", "Save the file as UTF-8."),
    "yaml-syntax": (
        "YAML 语法错误：{problem}", "YAML syntax error: {problem}",
        "检查该处的缩进、冒号和引号；含冒号或 # 的文字请加引号。",
        "Check indentation, colons and quotes here; quote text containing ':' or '#'."),
    "json-syntax": (
        "JSON 语法错误：{problem}", "JSON syntax error: {problem}",
        "检查该处的逗号、括号和引号。", "Check commas, brackets and quotes here."),
    "duplicate-key": (
        "键 “{key}” 重复（第一次出现在第 {first_line} 行）",
        "duplicate key '{key}' (first at line {first_line})",
        "删除或合并重复的键；YAML 中后出现的值会悄悄覆盖前一个。",
        "Remove or merge the duplicate; YAML would silently keep only the last one."),
    "too-deep": (
        "嵌套层数超过上限 {limit}", "nesting deeper than the limit of {limit}",
        "减少嵌套层数。", "Flatten the structure."),
    "too-many-nodes": (
        "节点（含别名展开）超过上限 {limit}：节点过多，疑似“别名炸弹”或文件过大",
        "more than {limit} nodes after alias expansion: too many nodes (a YAML alias bomb, or a file far too big?)",
        "不要用锚点/别名（& 和 *）层层复制内容；过大的数据请拆分成多个文件。",
        "Do not multiply content with anchors and aliases (& and *); split data that big into several files."),
    "too-much-text": (
        "文字（含别名展开）超过上限 {limit} 个字符，疑似“别名炸弹”",
        "more than {limit} characters of text after alias expansion (a YAML alias bomb?)",
        "不要用锚点/别名（& 和 *）重复长文字。", "Do not repeat long texts with anchors and aliases (& and *)."),
    "number-too-large": (
        "数字 {value} 过大或位数过多（最多 {digits} 位，数量级在 1e-{exponent} 到 1e{exponent} 之间）",
        "number {value} is too large or has too many digits (at most {digits} digits, magnitude "
        "between 1e-{exponent} and 1e{exponent})",
        "写一个普通大小的数字；检查是否误输入了多余的数字或指数。",
        "Write a number of an ordinary size; check for stray digits or exponents."),
    "bad-text": (
        "文字含有无法编码的字符（单独的代理项，如 \\ud800）{path}", "text with a character that cannot be encoded "
        "(a lone surrogate such as \\ud800) {path}",
        "删除或改正该字符；JSON 中的 \\uD800–\\uDFFF 必须成对出现。",
        "Remove or correct the character; in JSON, \\uD800-\\uDFFF escapes must come in pairs."),
    "bad-path": (
        "路径 {file} 含有空字符（NUL）", "the path {file} contains a NUL character",
        "检查路径，去掉其中的空字符。", "Check the path and remove the NUL character."),
    "bad-scalar": (
        "不支持的值 {value}", "unsupported value {value}",
        "写一个普通数字、文字或日期。", "Write a plain number, text or date."),
    "not-a-mapping": (
        "文件顶层应是键值映射（key: value）", "the top level must be a mapping (key: value)",
        "以 “id: …” 这样的键值对开始文件。", "Start the file with key: value pairs such as 'id: …'."),
    "internal-error": (
        "评价该文档时出现内部错误（{error}）", "internal error while rating this document ({error})",
        "其他文档不受影响；请把该文档和这条信息报告给 starrules 的维护者。",
        "The other documents are not affected; report this document and this message to the "
        "starrules maintainers."),
    # --- standard format ------------------------------------------------------------------
    "unknown-key": (
        "未知的键 “{key}”", "unknown key '{key}'",
        "删除该键，或改成允许的键：{allowed}。", "Remove it, or use one of: {allowed}."),
    "missing-key": (
        "缺少必填的键 “{key}”", "missing required key '{key}'",
        "在此处添加 “{key}: …”。", "Add '{key}: …' here."),
    "wrong-type": (
        "类型错误：应为{expected_zh}，实际为 {got}", "wrong type: expected {expected}, got {got}",
        "改成{expected_zh}。", "Write {expected} here."),
    "invalid-value": (
        "取值 “{value}” 无效，应为 {allowed} 之一", "invalid value '{value}', expected one of {allowed}",
        "改成允许的取值之一。", "Use one of the allowed values."),
    "out-of-range": (
        "值 {value} 超出范围 {range}", "value {value} is out of range {range}",
        "改成范围内的值。", "Use a value within the range."),
    "invalid-format": (
        "格式不对：{detail_zh}", "invalid format: {detail}",
        "按文档中的格式书写（见 docs/standard-format.md）。", "Follow the format in docs/standard-format.md."),
    "duplicate-id": (
        "{what} “{id}” 重复定义", "{what_en} '{id}' defined twice",
        "每个编号只能定义一次；改名或删除其一。", "Each id may be defined once; rename or remove one."),
    "unknown-dimension": (
        "未知的维度 “{dimension}”", "unknown dimension '{dimension}'",
        "使用 dimensions 中定义的维度：{allowed}。", "Use a dimension defined under dimensions: {allowed}."),
    "kind-field": (
        "{kind} 类指标{problem_zh}", "a {kind} indicator {problem_en}",
        "参见 docs/standard-format.md 中各类指标需要的字段。",
        "See which fields each kind needs in docs/standard-format.md."),
    "bad-default": (
        "事实 “{fact}” 的默认值与其类型不符", "the default of fact '{fact}' does not match its type",
        "改成类型为 {type} 的默认值。", "Use a default of type {type}."),
    "rating-unread-indicator": (
        "指标 {id}（{kind_zh}类，见 {layer}）没有被定星规则读取：它通过与否都不会改变结论、星级或得分",
        "indicator {id} (a {kind} indicator, in {layer}) is never read by the rating: "
        "whether it passes or fails changes no outcome, star or score",
        "在 {rule} 中读取它，例如 {example}；或删除该指标。",
        "Read it in {rule}, e.g. {example}; or remove the indicator."),
    "bad-parameter": (
        "参数 “{name}”：{detail_zh}", "parameter '{name}': {detail_en}",
        "检查参数的取值和 tighter 方向（higher / lower / none）。",
        "Check the parameter's value and its tighter direction (higher / lower / none)."),
    # --- layering and versions ------------------------------------------------------------
    "extends-not-found": (
        "找不到被继承的标准 “{target}”", "extended standard '{target}' not found",
        "检查标准编号，或用 --standards-dir 加入其所在目录。可用：{available}。",
        "Check the id, or add its folder with --standards-dir. Available: {available}."),
    "extends-cycle": (
        "继承关系形成循环：{cycle}", "extends forms a cycle: {cycle}",
        "去掉其中一个 extends。", "Remove one of the extends."),
    "extends-outside-roots": (
        "被继承的文件 {target} 不在标准目录内", "extended file {target} is outside the standard roots",
        "把文件放入标准目录，或用 --standards-dir 加入该目录。",
        "Move the file into a standards folder, or add its folder with --standards-dir."),
    "overlay-loosens": (
        "叠加标准放宽了上级标准：{what_zh}（上级 {base_layer} 为 {base}，本标准为 {overlay}）",
        "overlay loosens its base: {what_en} (base {base_layer}: {base}, overlay: {overlay})",
        "集团标准只能收紧省级标准；恢复上级取值或改为更严格的值。",
        "A group standard may only tighten its base; restore the base value or make it stricter."),
    "overlay-rewrites": (
        "叠加标准不能改写{what_zh} 的 “{field}”", "an overlay cannot rewrite '{field}' of {what_en}",
        "通过参数修改阈值，或新增一个指标。", "Change a parameter instead, or add a new indicator."),
    "overlay-new-incomplete": (
        "新增指标 {indicator} 缺少 “{field}”", "new indicator {indicator} lacks '{field}'",
        "新增指标须写全 dimension、kind、title、citation 和规则。",
        "A new indicator needs dimension, kind, title, citation and its rule."),
    "standard-ambiguous": (
        "编号 {id} 对应多个标准文件：{first} 与 {second}", "the id {id} names more than one standard file: {first} and {second}",
        "删除或改名其中一个文件（本地标准不能沿用内置标准的编号），或直接给出文件路径。",
        "Remove or rename one of the files (a local standard may not reuse a shipped id), or give the file's path."),
    "family-ambiguous": (
        "系列 {family} 在 {year} 年有多个版本有效：{versions}", "more than one version of {family} covers {year}: {versions}",
        "修正各版本的有效期（effective）使其不重叠，或直接给出标准编号。",
        "Fix the versions' effective periods so that they do not overlap, or name the standard by its id."),
    "version-overlap": (
        "同一系列 “{family}” 的版本 {a} 与 {b} 有效期重叠",
        "versions {a} and {b} of family '{family}' have overlapping effective periods",
        "调整 effective 的起止日期，使各版本互不重叠。", "Adjust effective from/to so versions do not overlap."),
    "standard-not-found": (
        "找不到标准 “{name}”", "no standard '{name}'",
        "可用的标准：{available}。", "Available standards: {available}."),
    "no-version-for-year": (
        "标准系列 “{family}” 没有覆盖 {year} 年的版本", "family '{family}' has no version covering {year}",
        "现有版本：{versions}；请指定版本编号。", "Versions: {versions}; name one explicitly."),
    # --- the rule language ----------------------------------------------------------------
    "rule-syntax": (
        "规则语法错误：{detail}", "rule syntax error: {detail}",
        "检查括号、引号和运算符；参见 docs/rule-language.md。",
        "Check brackets, quotes and operators; see docs/rule-language.md."),
    "rule-unknown-name": (
        "规则中的名称 “{name}” 未定义", "unknown name '{name}' in rule",
        "使用已声明的事实、定义或参数（参数前加 $）。",
        "Use a declared fact, definition or parameter (parameters start with $)."),
    "rule-unknown-function": (
        "未知的函数 “{name}”", "unknown function '{name}'",
        "参见 docs/rule-language.md 中的函数列表。", "See the functions in docs/rule-language.md."),
    "rule-type": (
        "规则类型错误：{detail}", "type error in rule: {detail}",
        "检查两边的类型是否一致（数字、日期、文字、集合）。",
        "Make both sides the same type (number, date, text, set)."),
    "rule-arity": (
        "函数 {name} 的参数个数不对：{detail}", "wrong number of arguments to {name}: {detail}",
        "参见 docs/rule-language.md 中该函数的写法。", "See how the function is written in docs/rule-language.md."),
    "rule-bad-date": (
        "无效的日期：{detail}", "invalid date: {detail}",
        "日期写作 date(\"YYYY-MM-DD\")，且须是真实存在的日期。",
        "Write dates as date(\"YYYY-MM-DD\"), and make it a real date."),
    "rule-unknown-value": (
        "取值 “{value}” 不在允许范围内：{detail}", "value '{value}' is not allowed: {detail}",
        "使用允许的取值之一。", "Use one of the allowed values."),
    "rule-cycle": (
        "定义循环引用自身：{chain}", "definitions refer to themselves in a cycle: {chain}",
        "让其中一个定义不再引用另一个。", "Break the cycle: one definition must not use the other."),
    "rule-too-deep": (
        "定义或表达式嵌套太深：{detail_zh}", "definitions or the expression nest too deeply: {detail}",
        "直接写出条件，减少定义之间、括号之间的层层嵌套。",
        "Write the condition more directly, with fewer definitions built on definitions."),
    "rule-too-costly": (
        "规则计算量过大：{detail_zh}", "the rule is too costly to evaluate: {detail}",
        "缩小范围，或不要在对大范围的逐项条件里再套大范围。",
        "Use smaller ranges, or do not nest a loop over a large range inside another."),
    "rule-error": (
        "规则错误：{detail}", "rule error: {detail}",
        "检查该规则。", "Check the rule."),
    # --- facts ----------------------------------------------------------------------------
    "facts-missing": (
        "缺少必填事实 {path}", "required fact {path} is missing",
        "补充该事实后重试。", "Add this fact and try again."),
    "facts-type": (
        "事实 {path} 类型错误：应为{expected_zh}，实际为 {got}",
        "fact {path} has the wrong type: expected {expected}, got {got}",
        "改成{expected_zh}（注意 \"3\" 和 2.0 都不是整数，日期写作 YYYY-MM-DD）。",
        "Write {expected} (note \"3\" and 2.0 are not integers; dates are YYYY-MM-DD)."),
    "facts-range": (
        "事实 {path} 的值 {value} 超出范围 {range}", "fact {path} = {value} is out of range {range}",
        "改成范围内的值。", "Use a value within the range."),
    "facts-invalid-value": (
        "事实 {path} 的值 “{value}” 无效，应为 {allowed} 之一",
        "fact {path} = '{value}' is invalid, expected one of {allowed}",
        "改成允许的取值之一。", "Use one of the allowed values."),
    "facts-duplicate-id": (
        "{path} 中编号 “{id}” 重复", "duplicate id '{id}' in {path}",
        "每条记录的编号须唯一。", "Give every record a unique id."),
    "facts-duplicate-item": (
        "{path} 中 “{value}” 重复出现", "'{value}' is listed twice in {path}",
        "删除重复项。", "Remove the duplicate."),
    "facts-dangling-ref": (
        "{path} 引用的 “{value}” 不在 {target} 中", "{path} refers to '{value}', which is not in {target}",
        "改成 {target} 中已有的编号，或补充该记录。", "Use an id that exists in {target}, or add that record."),
    "facts-null-in-list": (
        "{path} 中不能有空值（null）", "{path} must not contain null",
        "删除空项。", "Remove the empty item."),
    "facts-timestamp": (
        "{path} 应为日期，不能带时间", "{path} must be a date, not a timestamp",
        "只写日期，例如 2023-03-31。", "Write the date alone, e.g. 2023-03-31."),
    "facts-not-mapping": (
        "事实文档顶层应是键值映射", "a facts document must be a mapping at the top level",
        "以 branch: 和 year: 开始文档。", "Start the document with branch: and year:."),
    "facts-undeclared": (
        "事实 “{path}” 未在标准中声明，已忽略{suggestion_zh}", "fact '{path}' is not declared by the standard and is ignored{suggestion_en}",
        "如为笔误请改正；否则可忽略此提示。", "Fix it if it is a typo; otherwise ignore this note."),
    "facts-undeclared-more": (
        "另有 {count} 个标准未声明的键（仅逐一列出前 {limit} 个）",
        "{count} more keys the standard does not declare (only the first {limit} are listed)",
        "检查事实文件是否对应这个标准；多余的键不影响评价。",
        "Check that the facts file is meant for this standard; extra keys do not affect the rating."),
    "explain-missing": (
        "指标 {indicator} 没有说明模板（explain），说明将按事实描述自动生成",
        "indicator {indicator} has no explanation template (explain); its sentence is built from the facts' descriptions",
        "为该指标写 explain 的 zh 和 en 模板，用业务语言说明原因和决定性的数值（见 docs/standard-format.md）。",
        "Write explain templates (zh and en) for it that say why in business terms, with the deciding values "
        "(see docs/standard-format.md)."),
    "facts-year-outside": (
        "{year} 年不在标准 {standard} 的有效期（{period}）内", "year {year} is outside the effective period of {standard} ({period})",
        "确认所用标准版本是否正确。", "Check that this is the right version of the standard."),
    # --- facts workbooks (.xlsx) and written files ------------------------------------------
    "xlsx-missing-extra": (
        "读写 Excel 工作簿需要安装 {package}", "reading and writing Excel workbooks needs {package}",
        "安装：pip install 'starrules[xlsx]'；或改用 YAML/JSON 事实文件。",
        "Install it with pip install 'starrules[xlsx]', or use YAML/JSON facts."),
    "xlsx-unreadable": (
        "无法把 {file} 读作 Excel 工作簿：{reason}", "cannot read {file} as an Excel workbook: {reason}",
        "确认文件是 .xlsx 格式（在 Excel 中“另存为 Excel 工作簿”）且未设打开密码。",
        "Check that it is an .xlsx file (in Excel: Save As Excel Workbook) without a password."),
    "xlsx-not-template": (
        "{file} 不是 starrules 生成的事实台账（缺少隐藏的 _starrules 工作表）",
        "{file} is not a facts workbook made by starrules (the hidden _starrules sheet is missing)",
        "用 starrules template -s 标准 -o 台账.xlsx 生成模板，再把数据复制进去。",
        "Make a template with starrules template -s STANDARD -o facts.xlsx and copy the data into it."),
    "xlsx-missing-sheet": (
        "工作簿中缺少工作表 “{sheet}”（事实 {fact}）", "the workbook has no sheet '{sheet}' (fact {fact})",
        "恢复该工作表（可从新生成的模板中复制），不要删除或改名。",
        "Restore the sheet (copy it from a new template); do not delete or rename it."),
    "xlsx-missing-column": (
        "工作表 “{sheet}” 缺少列 “{column}”", "sheet '{sheet}' has no column '{column}'",
        "在第 1 行恢复该列的表头，与模板一致。", "Restore the column's header in row 1, as in the template."),
    "xlsx-wrong-standard": (
        "该台账是按标准 {made_for} 生成的，不能按 {standard} 评价",
        "this workbook was made for standard {made_for}, not {standard}",
        "用 -s {made_for} 评价；或用 starrules template -s {standard} 生成新模板，"
        "用 starrules facts convert 迁移数据。",
        "Rate it with -s {made_for}, or make a new template with starrules template -s {standard} "
        "and move the data with starrules facts convert."),
    "xlsx-standard-changed": (
        "该台账生成后标准 {standard} 已修改（生成时 {recorded}，当前 {current}）",
        "standard {standard} has changed since this workbook was made (then {recorded}, now {current})",
        "用 starrules template 重新生成模板，确认各项仍然适用。",
        "Make a new template with starrules template and check that every item still applies."),
    # --- evaluation, batch, verify, cases --------------------------------------------------
    "eval-error": (
        "指标 {indicator} 计算出错：{detail}", "indicator {indicator} could not be evaluated: {detail}",
        "检查该指标的规则。", "Check the indicator's rule."),
    "engine-missing": (
        "未安装规则引擎 durable_rules：{detail}", "the durable_rules engine is not installed: {detail}",
        "安装：pip install 'starrules[durable]'；或改用 --engine native。",
        "Install it with pip install 'starrules[durable]', or use --engine native."),
    "dask-missing": (
        "未安装 Dask：{detail}", "Dask is not installed: {detail}",
        "安装：pip install 'starrules[dask]'；或去掉 --engine dask，在本机评价。",
        "Install it with pip install 'starrules[dask]', or drop --engine dask to rate on this machine."),
    "dask-error": (
        "Dask 集群出错：{detail}", "the Dask cluster failed: {detail}",
        "检查 --scheduler 地址和各 worker 是否可用，或去掉 --engine dask 在本机评价。",
        "Check the --scheduler address and that its workers are up, or drop --engine dask to rate on this machine."),
    "engine-error": (
        "规则引擎出错：{detail}", "rule engine failed: {detail}",
        "改用 --engine native 重试，并报告此问题。", "Retry with --engine native and report this problem."),
    "batch-unit-fact-conflict": (
        "事实 {path} 在本支部和所在单位 “{unit}” 的单位事实（{source}）中取值不同：支部为 {branch_value}，单位为 {unit_value}",
        "fact {path} differs between the branch and its unit '{unit}' ({source}): branch {branch_value}, unit {unit_value}",
        "单位事实对同一单位的每个支部都相同：从支部文件中删除该事实，或改正单位事实文件。",
        "Unit facts are the same for every branch of the unit: remove the fact from the branch's file, "
        "or correct the unit-facts file."),
    "batch-duplicate-branch": (
        "branch.id “{id}” 在本批次中重复（首次出现于 {first}）", "branch.id '{id}' appears twice in this batch (first at {first})",
        "每个支部在一批中只能出现一次。", "Rate each branch once per batch."),
    "verify-standard-changed": (
        "标准 {standard} 已变更（记录的哈希 {recorded}，当前 {current}）",
        "standard {standard} has changed (recorded hash {recorded}, now {current})",
        "用记录时的标准文件复核，或重新评价。", "Verify with the standard file as recorded, or re-evaluate."),
    "verify-what-changed": (
        "自记录以来的变更：{what_zh}", "changed since the result was recorded: {what_en}",
        "用 starrules diff 旧标准文件 新标准文件 查看全部差异；按新标准重新评价。",
        "See every difference with starrules diff OLD NEW; re-evaluate under the new standard."),
    "verify-no-facts": (
        "结果中没有嵌入事实，需要 --facts", "the result embeds no facts; --facts is needed",
        "用 --facts 指定事实文件，或评价时加 --embed-facts。",
        "Pass --facts, or evaluate with --embed-facts."),
    "verify-facts-changed": (
        "事实与记录不符（记录的哈希 {recorded}，当前 {current}）", "the facts differ from the recorded ones (recorded hash {recorded}, now {current})",
        "使用评价时的事实文件。", "Use the facts file the result was made from."),
    # --- the web service (starrules serve) ------------------------------------------------
    "upload-type": (
        "不支持的文件类型 “{name}”，应为 {allowed}", "unsupported file type '{name}', expected {allowed}",
        "上传 {allowed} 文件。", "Upload a {allowed} file."),
    "batch-too-many-rows": (
        "一批的文档超过上限 {limit} 个", "more than {limit} documents in one batch",
        "把这批拆成每批不超过 {limit} 个文档。", "Split the batch into parts of at most {limit} documents."),
    "request-timeout": (
        "处理时间超过上限 {limit} 秒", "the request took longer than the limit of {limit} seconds",
        "一次少提交一些文档，或请管理员放宽时间上限（--max-seconds）。",
        "Send fewer documents at a time, or ask the operator to raise the limit (--max-seconds)."),
    "zip-refused": (
        "压缩包中的 “{name}” 被拒绝：{reason_zh}", "zip member '{name}' refused: {reason}",
        "压缩包中只放事实文件（.yaml、.yml、.json），不用绝对路径、“..”、加密或超大的文件。",
        "Put only facts files (.yaml, .yml, .json) in the zip: no absolute paths, '..', encryption or huge members."),
    "case-invalid": (
        "测试用例无效：{detail}", "invalid test case: {detail}",
        "参见 docs/test-cases.md 中的用例格式。", "See the case format in docs/test-cases.md."),
}


class _Missing(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        if key.endswith("_zh") and key[:-3] in self:  # no Chinese variant given: use the plain one
            return str(self[key[:-3]])
        return "{" + key + "}"


def _fill(template: str, params: Mapping[str, Any]) -> str:
    return template.format_map(_Missing({k: _show(v) for k, v in params.items()}))


def _show(value: Any) -> str:
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(str(v) for v in value)
    return str(value)


def render_message(code: str, params: Mapping[str, Any], lang: str = "zh") -> str:
    prerendered = params.get("_zh" if lang == "zh" else "_en")
    if prerendered:  # rule-language errors arrive rendered by the language's own catalogue
        return str(prerendered)
    if code == "yaml-syntax":
        from ._yaml_words import plain

        return ("YAML 语法错误：" if lang == "zh" else "YAML syntax error: ") + plain(params, lang)[0]
    entry = CATALOGUE.get(code)
    if entry is None:
        text = str(params.get("detail", code))
    else:
        text = _fill(entry[0] if lang == "zh" else entry[1], params)
    suggestion = params.get("suggestion")
    if suggestion and "{suggestion" not in (entry[0] if entry else ""):
        text += f"（是否想写 “{suggestion}”？）" if lang == "zh" else f" (did you mean '{suggestion}'?)"
    return text


def render_fix(code: str, params: Mapping[str, Any], lang: str = "zh") -> str | None:
    prerendered = params.get("_fix_zh" if lang == "zh" else "_fix_en")
    if prerendered:
        return str(prerendered)
    if code == "yaml-syntax":
        from ._yaml_words import plain

        return plain(params, lang)[1]
    entry = CATALOGUE.get(code)
    if entry is None:
        return None
    return _fill(entry[2] if lang == "zh" else entry[3], params)
