#version 330 core
// A feature map as a surface: a W×H grid of vertices at cell centres, lifted along iNormal by the
// cell's normalised value. Instanced: one instance per channel, one draw per layer.
layout(location = 0) in vec2 aGrid;       // cell coordinates (x, y) of the vertex
layout(location = 2) in vec3 iCenter;
layout(location = 3) in vec3 iRight;      // full width vector
layout(location = 4) in vec3 iUp;         // full depth vector (row 0 at the -iUp/2 edge... see vUV)
layout(location = 5) in vec4 iChannel;    // layer, range min, range max, height (scene units)
layout(location = 6) in vec3 iNormal;     // unit direction values rise along

uniform mat4 uViewProjection;
uniform sampler2DArray uValues;

#include "colormap.glsl"

out vec3 vWorld;
out vec3 vNormal;
out vec3 vColor;

float heightAt(ivec2 cell, int layer, ivec2 size) {
    float v = texelFetch(uValues, ivec3(clamp(cell, ivec2(0), size - 1), layer), 0).r;
    return isSpecial(v) ? 0.0 : normalizedValue(v, iChannel.yz) * iChannel.w;
}

void main() {
    ivec3 size = textureSize(uValues, 0);
    int layer = int(iChannel.x + 0.5);
    ivec2 cell = ivec2(aGrid);
    float value = texelFetch(uValues, ivec3(cell, layer), 0).r;
    float h = heightAt(cell, layer, size.xy);
    vec2 uv = (aGrid + 0.5) / vec2(size.xy);
    vec3 world = iCenter + (uv.x - 0.5) * iRight + (0.5 - uv.y) * iUp + h * iNormal;

    // Slope from the neighbours, in scene units per scene unit along the slab's axes.
    float dx = (heightAt(cell + ivec2(1, 0), layer, size.xy) - heightAt(cell - ivec2(1, 0), layer, size.xy));
    float dy = (heightAt(cell + ivec2(0, 1), layer, size.xy) - heightAt(cell - ivec2(0, 1), layer, size.xy));
    vec3 tx = normalize(iRight) * (2.0 * length(iRight) / float(size.x)) + dx * iNormal;
    vec3 ty = -normalize(iUp) * (2.0 * length(iUp) / float(size.y)) + dy * iNormal;
    vec3 n = normalize(cross(tx, ty));
    vNormal = dot(n, iNormal) < 0.0 ? -n : n;
    vColor = colormap(value, iChannel.yz);
    vWorld = world;
    gl_Position = uViewProjection * vec4(world, 1.0);
}
