#version 330 core
// A vector as a bar chart: one instanced box per element, its height the element's value.
// Values are read from layer uLayer of the texture array, element i at texel (i % width, i / width).
layout(location = 0) in vec3 aPosition;   // unit cube corner, [-0.5, 0.5]^3
layout(location = 1) in vec3 aNormal;

uniform mat4 uViewProjection;
uniform sampler2DArray uValues;
uniform int uLayer;
uniform int uStart;         // first element drawn
uniform int uStrideElements;// elements per bar (> 1 when the vector is longer than the bar budget)
uniform vec3 uOrigin;       // foot of bar 0's centre line
uniform vec3 uStep;         // world offset from one bar to the next
uniform vec3 uUp;           // unit direction bars grow along
uniform vec3 uDepth;        // world vector across the bar's thickness
uniform float uHeight;      // world height of a bar at the top of the range
uniform vec2 uRange;
uniform int uSelected;      // element index to highlight, -1 for none

#include "colormap.glsl"

out vec3 vNormal;
out vec3 vWorld;
out vec3 vColor;
flat out float vHighlight;

void main() {
    ivec3 size = textureSize(uValues, 0);
    int element = uStart + gl_InstanceID * uStrideElements;
    float value = texelFetch(uValues, ivec3(element % size.x, element / size.x, uLayer), 0).r;
    // Bars rise from zero when the range spans it (signed data), else from the bottom of the range.
    float base = (uRange.x < 0.0 && uRange.y > 0.0) ? 0.0 : uRange.x;
    float span = max(uRange.y - uRange.x, 1e-20);
    float v = isSpecial(value) ? base : clamp(value, uRange.x, uRange.y);
    float bottom = (min(base, v) - uRange.x) / span;
    float top = (max(base, v) - uRange.x) / span;
    float lo = bottom * uHeight;
    float hi = max(top * uHeight, lo + 0.01 * uHeight);
    float along = aPosition.y + 0.5;   // 0 at the bottom face, 1 at the top
    vec3 foot = uOrigin + float(gl_InstanceID) * uStep;
    vec3 world = foot + aPosition.x * uStep * 0.8 + aPosition.z * uDepth + mix(lo, hi, along) * uUp;
    vec3 n = aNormal.x * normalize(uStep) + aNormal.y * uUp + aNormal.z * normalize(uDepth);
    vNormal = n;
    vWorld = world;
    vColor = colormap(value, uRange);
    vHighlight = (uSelected >= 0 && element <= uSelected && uSelected < element + uStrideElements) ? 1.0 : 0.0;
    gl_Position = uViewProjection * vec4(world, 1.0);
}
