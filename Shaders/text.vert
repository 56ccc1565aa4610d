#version 330 core
// Glyph quads billboarded to face the camera: each glyph sits at its label's anchor plus an offset
// along the camera's right and up axes, so labels read the same from any angle. Planar glyphs (cell
// values printed on a slab) lie in the world x-y plane instead, on the slab they annotate.
layout(location = 0) in vec2 aCorner;      // [0, 1]^2
layout(location = 2) in vec3 iAnchor;      // label anchor in the world
layout(location = 3) in vec4 iRect;        // glyph quad: x, y, width, height in em units from the anchor
layout(location = 4) in vec4 iUV;          // atlas rect: u0, v0, u1, v1
layout(location = 5) in vec4 iColor;
layout(location = 6) in float iScale;      // world units per em
layout(location = 7) in vec2 iStyle;      // smallest em on screen in pixels (0: none); 1 = planar

uniform mat4 uViewProjection;
uniform vec3 uCameraRight;
uniform vec3 uCameraUp;
uniform float uFocalPixels;                // pixels per world unit at distance 1

out vec2 vUV;
out vec4 vColor;

void main() {
    float depth = max((uViewProjection * vec4(iAnchor, 1.0)).w, 1e-4);
    float emPixels = iScale * uFocalPixels / depth;
    float grow = iStyle.x > 0.0 ? max(1.0, iStyle.x / max(emPixels, 1e-6)) : 1.0;
    vec2 offset = (iRect.xy + aCorner * iRect.zw) * iScale * grow;
    bool planar = iStyle.y > 0.5;
    vec3 right = planar ? vec3(1.0, 0.0, 0.0) : uCameraRight;
    vec3 up = planar ? vec3(0.0, 1.0, 0.0) : uCameraUp;
    vec3 world = iAnchor + offset.x * right + offset.y * up;
    vUV = mix(iUV.xw, iUV.zy, aCorner);
    vColor = iColor;
    gl_Position = uViewProjection * vec4(world, 1.0);
    // Layer labels are placed so they do not overlap one another; drawn in front of everything, none is
    // cut in half by a slab it floats behind.
    if (!planar) gl_Position.z = -0.9999 * gl_Position.w;
}
