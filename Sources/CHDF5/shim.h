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
