#define EGL_EGLEXT_PROTOTYPES 1
#include <EGL/egl.h>
#include <EGL/eglext.h>

static inline EGLDisplay strata_egl_no_display(void) { return EGL_NO_DISPLAY; }
static inline EGLContext strata_egl_no_context(void) { return EGL_NO_CONTEXT; }
static inline EGLSurface strata_egl_no_surface(void) { return EGL_NO_SURFACE; }
