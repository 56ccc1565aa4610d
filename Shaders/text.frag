#version 330 core
// Glyph coverage (atlas red) in the text colour over a dark halo (atlas green: the coverage dilated by a
// few pixels), premultiplied, so labels read on bright slabs and dark backgrounds alike.
in vec2 vUV;
in vec4 vColor;
uniform sampler2D uAtlas;
uniform vec3 uHaloColor;
out vec4 fragColor;

void main() {
    vec2 texel = texture(uAtlas, vUV).rg;
    float coverage = texel.r;
    float halo = texel.g * 0.85;
    float a = max(coverage, halo) * vColor.a;
    if (a < 0.004) discard;
    vec3 color = mix(uHaloColor, vColor.rgb, coverage / max(max(coverage, halo), 1e-4));
    fragColor = vec4(color * a, a);
}
