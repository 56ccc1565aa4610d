#version 330 core
// Line segments as screen-space quads uWidth pixels wide (core profiles have no wide lines).
// Six vertices per instance; aCorner.x picks the end (0 or 1), aCorner.y the side (-1 or 1).
layout(location = 0) in vec2 aCorner;
layout(location = 2) in vec3 iStart;
layout(location = 3) in vec3 iEnd;
layout(location = 4) in vec4 iColor;

uniform mat4 uViewProjection;
uniform vec2 uViewport;     // pixels
uniform float uWidth;       // pixels

out vec4 vColor;

void main() {
    vec4 a = uViewProjection * vec4(iStart, 1.0);
    vec4 b = uViewProjection * vec4(iEnd, 1.0);
    // Keep both ends in front of the camera so the direction stays meaningful.
    a.w = max(a.w, 1e-4);
    b.w = max(b.w, 1e-4);
    vec2 sa = a.xy / a.w * uViewport;
    vec2 sb = b.xy / b.w * uViewport;
    vec2 dir = sb - sa;
    dir = length(dir) > 1e-6 ? normalize(dir) : vec2(1.0, 0.0);
    vec2 normal = vec2(-dir.y, dir.x);
    vec4 p = aCorner.x < 0.5 ? a : b;
    p.xy += normal * aCorner.y * uWidth / uViewport * p.w;
    vColor = iColor;
    gl_Position = p;
}
