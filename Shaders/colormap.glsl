// Shared by every program that colours activations (inserted by `#include "colormap.glsl"`).
// uColormap is a 256x1 RGBA lookup table; a value maps to it linearly through a [min, max] range.
uniform sampler2D uColormap;
uniform vec3 uNaNColor;
uniform vec3 uPosInfColor;
uniform vec3 uNegInfColor;

// Position of value in range, clamped to [0, 1]; the middle entry for an empty range (as Scene.Colormap).
float normalizedValue(float value, vec2 range) {
    float span = range.y - range.x;
    return span > 0.0 ? clamp((value - range.x) / span, 0.0, 1.0) : 128.0 / 255.0;
}

bool isSpecial(float value) {
    return isnan(value) || isinf(value);
}

vec3 specialColor(float value) {
    if (isnan(value)) return uNaNColor;
    return value > 0.0 ? uPosInfColor : uNegInfColor;
}

vec3 colormap(float value, vec2 range) {
    if (isSpecial(value)) return specialColor(value);
    float t = normalizedValue(value, range);
    // With nearest sampling this picks entry round(t * 255), as Colormap.index(for:lo:hi:) does.
    return texture(uColormap, vec2(t * (255.0 / 256.0) + 0.5 / 256.0, 0.5)).rgb;
}
