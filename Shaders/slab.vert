#version 330 core
// Instanced feature-map slabs: one quad per channel, all channels of a layer in one draw.
layout(location = 0) in vec2 aCorner;     // [-0.5, 0.5]^2
layout(location = 2) in vec3 iCenter;
layout(location = 3) in vec3 iRight;      // full width vector (x grows along it)
layout(location = 4) in vec3 iUp;         // full height vector (row 0 is at the top)
layout(location = 5) in vec4 iChannel;    // layer in the texture array, range min, range max, selected
layout(location = 6) in vec2 iCell;       // selected cell (x, y), or (-1, -1)

uniform mat4 uViewProjection;

out vec2 vUV;
flat out vec4 vChannel;
flat out vec2 vCell;

void main() {
    vec3 world = iCenter + aCorner.x * iRight + aCorner.y * iUp;
    vUV = vec2(aCorner.x + 0.5, 0.5 - aCorner.y);
    vChannel = iChannel;
    vCell = iCell;
    gl_Position = uViewProjection * vec4(world, 1.0);
}
