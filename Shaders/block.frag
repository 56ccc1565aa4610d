#version 330 core
// Soft two-light shading and a darker outline along the box's edges, about uOutline pixels wide.
in vec3 vNormal;
in vec3 vLocal;
in vec3 vWorld;
flat in vec4 vColor;

uniform vec3 uCameraPosition;
uniform vec3 uLightDirection;   // towards the light, normalised
uniform float uOutline;         // outline width in pixels
uniform vec3 uSelectionColor;

out vec4 fragColor;

float edgeDistancePixels() {
    // The two in-face coordinates: the one along the normal is ±0.5 everywhere on the face.
    vec3 n = abs(vNormal);
    vec2 p = n.x > 0.5 ? vLocal.yz : (n.y > 0.5 ? vLocal.xz : vLocal.xy);
    vec2 d = (0.5 - abs(p)) / max(fwidth(p), vec2(1e-6));
    return min(d.x, d.y);
}

void main() {
    vec3 n = normalize(vNormal);
    vec3 view = normalize(uCameraPosition - vWorld);
    float key = max(dot(n, uLightDirection), 0.0);
    float fill = max(dot(n, view), 0.0);
    vec3 base = vColor.rgb;
    vec3 lit = base * (0.35 + 0.45 * key + 0.3 * fill);
    float edge = edgeDistancePixels();
    bool selected = vColor.a > 0.5;
    float width = selected ? uOutline * 2.0 : uOutline;
    float outline = 1.0 - smoothstep(width - 0.5, width + 0.5, edge);
    vec3 edgeColor = selected ? uSelectionColor : base * 0.35;
    fragColor = vec4(mix(lit, edgeColor, outline), 1.0);
}
