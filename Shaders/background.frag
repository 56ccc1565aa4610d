#version 330 core
// A calm vertical gradient: uBottom at the bottom edge, uTop at the top.
in vec2 vUV;
uniform vec3 uTop;
uniform vec3 uBottom;
out vec4 fragColor;

void main() {
    float t = smoothstep(0.0, 1.0, vUV.y);
    fragColor = vec4(mix(uBottom, uTop, t), 1.0);
}
