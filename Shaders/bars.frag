#version 330 core
in vec3 vNormal;
in vec3 vWorld;
in vec3 vColor;
flat in float vHighlight;

uniform vec3 uCameraPosition;
uniform vec3 uLightDirection;
uniform vec3 uSelectionColor;

out vec4 fragColor;

void main() {
    vec3 n = normalize(vNormal);
    vec3 view = normalize(uCameraPosition - vWorld);
    float key = max(dot(n, uLightDirection), 0.0);
    float fill = abs(dot(n, view));
    vec3 color = mix(vColor, uSelectionColor, vHighlight * 0.6);
    fragColor = vec4(color * (0.35 + 0.4 * key + 0.35 * fill), 1.0);
}
