#include <hdf5.h>

static inline hid_t strata_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t strata_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t strata_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t strata_h5t_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t strata_h5t_c_s1(void) { return H5T_C_S1; }
static inline size_t strata_h5t_variable(void) { return H5T_VARIABLE; }
static inline unsigned strata_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline hid_t strata_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t strata_h5s_all(void) { return H5S_ALL; }
static inline hid_t strata_h5p_file_access(void) { return H5P_FILE_ACCESS; }

/* File images handed to libhdf5 without copies (as H5LTopen_file_image's DONT_COPY | DONT_RELEASE): the
   caller keeps `image` alive and unchanged until the file and every property list using it are closed. */
static inline void *strata_image_malloc(size_t size, H5FD_file_image_op_t op, void *udata) {
    (void)size; (void)op;
    return udata;
}
static inline void *strata_image_memcpy(void *dest, const void *src, size_t size, H5FD_file_image_op_t op, void *udata) {
    (void)size; (void)op; (void)udata;
    return dest == src ? dest : NULL;
}
static inline void *strata_image_realloc(void *ptr, size_t size, H5FD_file_image_op_t op, void *udata) {
    (void)ptr; (void)size; (void)op; (void)udata;
    return NULL;
}
static inline herr_t strata_image_free(void *ptr, H5FD_file_image_op_t op, void *udata) {
    (void)ptr; (void)op; (void)udata;
    return 0;
}
static inline void *strata_udata_copy(void *udata) { return udata; }
static inline herr_t strata_udata_free(void *udata) { (void)udata; return 0; }
static inline herr_t strata_h5p_set_shared_file_image(hid_t fapl, void *image, size_t size) {
    H5FD_file_image_callbacks_t callbacks = {
        strata_image_malloc, strata_image_memcpy, strata_image_realloc, strata_image_free,
        strata_udata_copy, strata_udata_free, image
    };
    if (H5Pset_file_image_callbacks(fapl, &callbacks) < 0) return -1;
    return H5Pset_file_image(fapl, image, size);
}
