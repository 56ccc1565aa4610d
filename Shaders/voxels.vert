#version 330 core
// A C×H×W activation as instanced cubes, one per (downsampled) cell, all in one draw. The instance
// index gives the cell; cells whose magnitude is below uThreshold of the range's largest magnitude are
// dropped (moved outside the clip volume) so the structure shows; the rest are sized and coloured by value.
layout(location = 0) in vec3 aPosition;   // unit cube corner, [-0.5, 0.5]^3
layout(location = 1) in vec3 aNormal;

uniform mat4 uViewProjection;
uniform sampler2DArray uValues;
uniform ivec3 uStride;      // texels per voxel along x, y, channel
uniform ivec3 uGrid;        // voxels along x, y, channel
uniform int uFirstChannel;  // texture layer of voxel channel 0
uniform vec3 uOrigin;       // centre of voxel (0, 0, 0)
uniform vec3 uStepX;        // world offset between neighbouring voxels along x
uniform vec3 uStepY;        // ... along y (rows go this way)
uniform vec3 uStepC;        // ... along channels
uniform vec2 uRange;
uniform float uThreshold;   // fraction of max(|min|, |max|)

#include "colormap.glsl"

out vec3 vNormal;
out vec3 vWorld;
out vec3 vColor;

void main() {
    int i = gl_InstanceID;
    ivec3 voxel = ivec3(i % uGrid.x, (i / uGrid.x) % uGrid.y, i / (uGrid.x * uGrid.y));
    ivec3 size = textureSize(uValues, 0);
    ivec3 texel = min(voxel * uStride + ivec3(0, 0, uFirstChannel), size - 1);   // the cell's first element, as picking reports
    float value = texelFetch(uValues, texel, 0).r;
    float magnitude = max(abs(uRange.x), abs(uRange.y));
    if (!isSpecial(value) && abs(value) < uThreshold * magnitude) {
        gl_Position = vec4(0.0, 0.0, 2.0, 1.0);   // outside the clip volume: culled
        vNormal = vec3(0.0); vWorld = vec3(0.0); vColor = vec3(0.0);
        return;
    }
    float scale = 0.45 + 0.5 * (isSpecial(value) ? 1.0 : abs(value) / max(magnitude, 1e-20));
    // A right-handed cube frame (whatever the steps' signs) keeps the faces wound for back-face culling.
    vec3 ax = uStepX;
    vec3 ay = -uStepY;
    vec3 az = normalize(cross(ax, ay)) * length(uStepC);
    vec3 local = aPosition * scale;
    vec3 world = uOrigin + float(voxel.x) * uStepX + float(voxel.y) * uStepY + float(voxel.z) * uStepC
        + local.x * ax + local.y * ay + local.z * az;
    vNormal = normalize(aNormal.x * normalize(ax) + aNormal.y * normalize(ay) + aNormal.z * normalize(az));
    vWorld = world;
    vColor = colormap(value, uRange);
    gl_Position = uViewProjection * vec4(world, 1.0);
}
