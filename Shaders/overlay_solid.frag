#version 330 core
// Solid colour for overlay rectangles, premultiplied alpha out. Kept apart from overlay.frag so the many
// rectangle fragments of a UI frame sample no texture (costly on a software rasteriser).
in vec2 vUV;
in vec4 vColor;
in float vTextured;
out vec4 fragColor;

void main() {
    fragColor = vec4(vColor.rgb * vColor.a, vColor.a);
}
