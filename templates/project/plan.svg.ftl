<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">
  <title>${title}</title>
  <text x="${left}" y="16" font-size="13">${title}</text>
  <text x="${left}" y="32">${summary}</text>
  <rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="#f8f8f8" stroke="#888"/>
<#list yTicks as t>
  <text x="${left?number - 4}" y="${t.y}" text-anchor="end" dominant-baseline="middle">${t.label}</text>
</#list>
  <text x="${left}" y="${bottom?number + 16}">op 0</text>
  <text x="${left?number + plotW?number}" y="${bottom?number + 16}" text-anchor="end">op ${steps - 1} (x: ops in execution order, y: arena offset)</text>
<#list rects as r>
  <rect x="${r.x}" y="${r.y}" width="${r.w}" height="${r.h}" fill="hsl(${r.hue}, 60%, 65%)" stroke="#333" stroke-width="0.5"><title>${r.label}</title></rect>
</#list>
<#if regions??>
<#list regions as g>
  <line x1="${left}" y1="${g.y}" x2="${left?number + plotW?number}" y2="${g.y}" stroke="#000" stroke-dasharray="6 3"/>
  <text x="${left?number + plotW?number - 4}" y="${g.y?number + 12}" text-anchor="end" font-weight="bold">${g.label}</text>
</#list>
</#if>
</svg>
