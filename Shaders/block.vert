#version 330 core
// Instanced boxes: a unit cube scaled and moved per instance.
layout(location = 0) in vec3 aPosition;   // unit cube corner, [-0.5, 0.5]^3
layout(location = 1) in vec3 aNormal;
layout(location = 2) in vec3 iCenter;
layout(location = 3) in vec3 iSize;
layout(location = 4) in vec4 iColor;      // rgb, a = 1 when selected

uniform mat4 uViewProjection;

out vec3 vNormal;
out vec3 vLocal;
out vec3 vWorld;
flat out vec4 vColor;

void main() {
    vec3 world = iCenter + aPosition * iSize;
    vLocal = aPosition;
    vNormal = aNormal;
    vWorld = world;
    vColor = iColor;
    gl_Position = uViewProjection * vec4(world, 1.0);
}
