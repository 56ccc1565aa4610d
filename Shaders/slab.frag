#version 330 core
// Colours each cell of a feature map through the colormap; thin cell lines appear once cells are
// large on screen, a border frames the slab (in the selection colour when selected) and the selected
// cell gets an outline.
in vec2 vUV;
flat in vec4 vChannel;
flat in vec2 vCell;

uniform sampler2DArray uValues;
uniform vec3 uSelectionColor;
uniform float uGridLines;   // 1 draws cell lines when cells are big enough

#include "colormap.glsl"

out vec4 fragColor;

void main() {
    ivec3 size = textureSize(uValues, 0);
    vec2 cells = vUV * vec2(size.xy);
    ivec2 cell = clamp(ivec2(floor(cells)), ivec2(0), size.xy - 1);
    float value = texelFetch(uValues, ivec3(cell, int(vChannel.x + 0.5)), 0).r;
    vec3 color = colormap(value, vChannel.yz);

    vec2 pixelsPerCell = 1.0 / max(fwidth(cells), vec2(1e-6));
    if (uGridLines > 0.5 && min(pixelsPerCell.x, pixelsPerCell.y) > 8.0) {
        vec2 f = abs(fract(cells) - 0.5) * 2.0;     // 1 at the cell edge
        vec2 toEdge = (1.0 - f) * 0.5 * pixelsPerCell;
        float line = 1.0 - smoothstep(0.0, 1.0, min(toEdge.x, toEdge.y));
        color = mix(color, color * 0.55, line * 0.6);
    }

    if (vCell.x >= 0.0 && all(equal(cell, ivec2(vCell)))) {
        vec2 inCell = min(fract(cells), 1.0 - fract(cells)) * pixelsPerCell;
        float ring = 1.0 - smoothstep(1.5, 2.5, min(inCell.x, inCell.y));
        color = mix(color, uSelectionColor, ring);
    }

    vec2 border = min(vUV, 1.0 - vUV) / max(fwidth(vUV), vec2(1e-6));
    bool selected = vChannel.w > 0.5;
    float width = selected ? 3.0 : 1.0;
    float frame = 1.0 - smoothstep(width - 0.5, width + 0.5, min(border.x, border.y));
    color = mix(color, selected ? uSelectionColor : vec3(0.08, 0.09, 0.11), frame);
    fragColor = vec4(color, 1.0);
}
