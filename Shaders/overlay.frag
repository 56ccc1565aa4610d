#version 330 core
// Glyphs: atlas coverage times colour, premultiplied alpha out (rectangles use overlay_solid.frag).
in vec2 vUV;
in vec4 vColor;
in float vTextured;
uniform sampler2D uAtlas;
out vec4 fragColor;

void main() {
    float coverage = vTextured > 0.5 ? texture(uAtlas, vUV).r : 1.0;
    float a = vColor.a * coverage;
    fragColor = vec4(vColor.rgb * a, a);
}
