-- A line break inside a paragraph becomes a space; between two Chinese characters
-- that space is wrong (Chinese puts none between words), and the zh sources wrap
-- their lines like the English ones. Pandoc's east_asian_line_breaks extension
-- drops it, but Quarto does not pass the extension on to Pandoc
-- (quarto-dev/quarto-cli#8520), so this filter does the same: a soft line break
-- between two East Asian wide characters is removed; one next to a Latin letter,
-- a digit or inline code stays a space.

-- CJK radicals to Yi, compatibility ideographs and forms, full-width forms,
-- CJK symbols and punctuation, extension B onwards
local WIDE = {
  {0x2E80, 0xA4CF}, {0xF900, 0xFAFF}, {0xFE30, 0xFE4F}, {0xFF00, 0xFF60},
  {0xFFE0, 0xFFE6}, {0x20000, 0x3FFFD},
}

local function wide(cp)
  if not cp then return false end
  for _, r in ipairs(WIDE) do
    if cp >= r[1] and cp <= r[2] then return true end
  end
  return false
end

local function edge(text, last)
  local cp
  for _, c in utf8.codes(text) do
    if not last then return c end
    cp = c
  end
  return cp
end

function Inlines(inlines)
  for i = #inlines - 1, 2, -1 do
    local before, after = inlines[i - 1], inlines[i + 1]
    if inlines[i].t == "SoftBreak" and before.t == "Str" and after.t == "Str"
        and wide(edge(before.text, true)) and wide(edge(after.text, false)) then
      inlines:remove(i)
    end
  end
  return inlines
end
