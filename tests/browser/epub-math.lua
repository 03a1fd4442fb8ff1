-- pandoc 过滤器（EPUB，见 tests/xtask/offline.rs）：公式用 KaTeX 留下的 TeX 原文，由 pandoc 转成 MathML。
-- 若让 pandoc 读 KaTeX 的 MathML，它先转回 TeX 再转成 MathML，第 4 章有两个公式在这一来一回里坏掉。
function Span(el)
  if el.classes:includes("tex-math") then
    local tex = el.attributes["tex"] or el.attributes["data-tex"]
    local block = (el.attributes["display"] or el.attributes["data-display"]) == "block"
    return pandoc.Math(block and "DisplayMath" or "InlineMath", tex)
  end
end
