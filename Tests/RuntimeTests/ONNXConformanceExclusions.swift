import Foundation

/// ONNX node tests (and light networks) that are known to fail, each with the reason. The conformance suite runs
/// them as known issues: anything not listed here must pass, and a listed case that starts passing fails the
/// suite until it is taken off the list.
enum ConformanceExclusions {
    static let reasons: [String: String] = {
        var reasons: [String: String] = [:]
        // Element types and value kinds Strata does not compute with (the importer or the kernel refuses them).
        for name in [
            "test_ai_onnx_ml_label_encoder_tensor_mapping",
            "test_equal_string",
            "test_equal_string_broadcast",
        ] { reasons[name] = "string tensors are not supported" }
        for name in [
            "test_cast_FLOAT16_to_FLOAT4E2M1",
            "test_cast_FLOAT4E2M1_to_FLOAT",
            "test_cast_FLOAT4E2M1_to_FLOAT16",
            "test_cast_FLOAT_to_FLOAT4E2M1",
            "test_castlike_FLOAT16_to_FLOAT4E2M1",
            "test_castlike_FLOAT16_to_FLOAT4E2M1_expanded",
            "test_castlike_FLOAT4E2M1_to_FLOAT",
            "test_castlike_FLOAT4E2M1_to_FLOAT16",
            "test_castlike_FLOAT4E2M1_to_FLOAT16_expanded",
            "test_castlike_FLOAT4E2M1_to_FLOAT_expanded",
            "test_castlike_FLOAT_to_FLOAT4E2M1",
            "test_castlike_FLOAT_to_FLOAT4E2M1_expanded",
        ] { reasons[name] = "element type float4e2m1 is not one Strata computes with" }
        for name in [
            "test_cast_FLOAT16_to_FLOAT8E4M3FN",
            "test_cast_FLOAT8E4M3FN_to_FLOAT",
            "test_cast_FLOAT8E4M3FN_to_FLOAT16",
            "test_cast_FLOAT_to_FLOAT8E4M3FN",
            "test_cast_no_saturate_FLOAT16_to_FLOAT8E4M3FN",
            "test_cast_no_saturate_FLOAT_to_FLOAT8E4M3FN",
            "test_castlike_FLOAT16_to_FLOAT8E4M3FN",
            "test_castlike_FLOAT16_to_FLOAT8E4M3FN_expanded",
            "test_castlike_FLOAT8E4M3FN_to_FLOAT",
            "test_castlike_FLOAT8E4M3FN_to_FLOAT16",
            "test_castlike_FLOAT8E4M3FN_to_FLOAT16_expanded",
            "test_castlike_FLOAT8E4M3FN_to_FLOAT_expanded",
            "test_castlike_FLOAT_to_FLOAT8E4M3FN",
            "test_castlike_FLOAT_to_FLOAT8E4M3FN_expanded",
            "test_castlike_no_saturate_FLOAT16_to_FLOAT8E4M3FN",
            "test_castlike_no_saturate_FLOAT16_to_FLOAT8E4M3FN_expanded",
            "test_castlike_no_saturate_FLOAT_to_FLOAT8E4M3FN",
            "test_castlike_no_saturate_FLOAT_to_FLOAT8E4M3FN_expanded",
        ] { reasons[name] = "element type float8e4m3fn is not one Strata computes with" }
        for name in [
            "test_cast_FLOAT16_to_FLOAT8E4M3FNUZ",
            "test_cast_FLOAT8E4M3FNUZ_to_FLOAT",
            "test_cast_FLOAT8E4M3FNUZ_to_FLOAT16",
            "test_cast_FLOAT_to_FLOAT8E4M3FNUZ",
            "test_cast_no_saturate_FLOAT16_to_FLOAT8E4M3FNUZ",
            "test_cast_no_saturate_FLOAT_to_FLOAT8E4M3FNUZ",
            "test_castlike_FLOAT16_to_FLOAT8E4M3FNUZ",
            "test_castlike_FLOAT16_to_FLOAT8E4M3FNUZ_expanded",
            "test_castlike_FLOAT8E4M3FNUZ_to_FLOAT",
            "test_castlike_FLOAT8E4M3FNUZ_to_FLOAT16",
            "test_castlike_FLOAT8E4M3FNUZ_to_FLOAT16_expanded",
            "test_castlike_FLOAT8E4M3FNUZ_to_FLOAT_expanded",
            "test_castlike_FLOAT_to_FLOAT8E4M3FNUZ",
            "test_castlike_FLOAT_to_FLOAT8E4M3FNUZ_expanded",
            "test_castlike_no_saturate_FLOAT16_to_FLOAT8E4M3FNUZ",
            "test_castlike_no_saturate_FLOAT16_to_FLOAT8E4M3FNUZ_expanded",
            "test_castlike_no_saturate_FLOAT_to_FLOAT8E4M3FNUZ",
            "test_castlike_no_saturate_FLOAT_to_FLOAT8E4M3FNUZ_expanded",
        ] { reasons[name] = "element type float8e4m3fnuz is not one Strata computes with" }
        for name in [
            "test_cast_FLOAT16_to_FLOAT8E5M2",
            "test_cast_FLOAT8E5M2_to_FLOAT",
            "test_cast_FLOAT8E5M2_to_FLOAT16",
            "test_cast_FLOAT_to_FLOAT8E5M2",
            "test_cast_no_saturate_FLOAT16_to_FLOAT8E5M2",
            "test_cast_no_saturate_FLOAT_to_FLOAT8E5M2",
            "test_castlike_FLOAT16_to_FLOAT8E5M2",
            "test_castlike_FLOAT16_to_FLOAT8E5M2_expanded",
            "test_castlike_FLOAT8E5M2_to_FLOAT",
            "test_castlike_FLOAT8E5M2_to_FLOAT16",
            "test_castlike_FLOAT8E5M2_to_FLOAT16_expanded",
            "test_castlike_FLOAT8E5M2_to_FLOAT_expanded",
            "test_castlike_FLOAT_to_FLOAT8E5M2",
            "test_castlike_FLOAT_to_FLOAT8E5M2_expanded",
            "test_castlike_no_saturate_FLOAT16_to_FLOAT8E5M2",
            "test_castlike_no_saturate_FLOAT16_to_FLOAT8E5M2_expanded",
            "test_castlike_no_saturate_FLOAT_to_FLOAT8E5M2",
            "test_castlike_no_saturate_FLOAT_to_FLOAT8E5M2_expanded",
        ] { reasons[name] = "element type float8e5m2 is not one Strata computes with" }
        for name in [
            "test_cast_FLOAT16_to_FLOAT8E5M2FNUZ",
            "test_cast_FLOAT8E5M2FNUZ_to_FLOAT",
            "test_cast_FLOAT8E5M2FNUZ_to_FLOAT16",
            "test_cast_FLOAT_to_FLOAT8E5M2FNUZ",
            "test_cast_no_saturate_FLOAT16_to_FLOAT8E5M2FNUZ",
            "test_cast_no_saturate_FLOAT_to_FLOAT8E5M2FNUZ",
            "test_castlike_FLOAT16_to_FLOAT8E5M2FNUZ",
            "test_castlike_FLOAT16_to_FLOAT8E5M2FNUZ_expanded",
            "test_castlike_FLOAT8E5M2FNUZ_to_FLOAT",
            "test_castlike_FLOAT8E5M2FNUZ_to_FLOAT16",
            "test_castlike_FLOAT8E5M2FNUZ_to_FLOAT16_expanded",
            "test_castlike_FLOAT8E5M2FNUZ_to_FLOAT_expanded",
            "test_castlike_FLOAT_to_FLOAT8E5M2FNUZ",
            "test_castlike_FLOAT_to_FLOAT8E5M2FNUZ_expanded",
            "test_castlike_no_saturate_FLOAT16_to_FLOAT8E5M2FNUZ",
            "test_castlike_no_saturate_FLOAT16_to_FLOAT8E5M2FNUZ_expanded",
            "test_castlike_no_saturate_FLOAT_to_FLOAT8E5M2FNUZ",
            "test_castlike_no_saturate_FLOAT_to_FLOAT8E5M2FNUZ_expanded",
        ] { reasons[name] = "element type float8e5m2fnuz is not one Strata computes with" }
        for name in [
            "test_cast_FLOAT16_to_INT2",
            "test_cast_FLOAT_to_INT2",
            "test_cast_INT2_to_FLOAT",
            "test_cast_INT2_to_FLOAT16",
            "test_cast_INT2_to_INT8",
            "test_castlike_FLOAT16_to_INT2",
            "test_castlike_FLOAT16_to_INT2_expanded",
            "test_castlike_FLOAT_to_INT2",
            "test_castlike_FLOAT_to_INT2_expanded",
            "test_castlike_INT2_to_FLOAT",
            "test_castlike_INT2_to_FLOAT16",
            "test_castlike_INT2_to_FLOAT16_expanded",
            "test_castlike_INT2_to_FLOAT_expanded",
            "test_castlike_INT2_to_INT8",
            "test_castlike_INT2_to_INT8_expanded",
        ] { reasons[name] = "element type int2 is not one Strata computes with" }
        for name in [
            "test_cast_FLOAT16_to_INT4",
            "test_cast_FLOAT_to_INT4",
            "test_cast_INT4_to_FLOAT",
            "test_cast_INT4_to_FLOAT16",
            "test_cast_INT4_to_INT8",
            "test_castlike_FLOAT16_to_INT4",
            "test_castlike_FLOAT16_to_INT4_expanded",
            "test_castlike_FLOAT_to_INT4",
            "test_castlike_FLOAT_to_INT4_expanded",
            "test_castlike_INT4_to_FLOAT",
            "test_castlike_INT4_to_FLOAT16",
            "test_castlike_INT4_to_FLOAT16_expanded",
            "test_castlike_INT4_to_FLOAT_expanded",
            "test_castlike_INT4_to_INT8",
            "test_castlike_INT4_to_INT8_expanded",
        ] { reasons[name] = "element type int4 is not one Strata computes with" }
        for name in [
            "test_cast_FLOAT16_to_UINT2",
            "test_cast_FLOAT_to_UINT2",
            "test_cast_UINT2_to_FLOAT",
            "test_cast_UINT2_to_FLOAT16",
            "test_cast_UINT2_to_UINT8",
            "test_castlike_FLOAT16_to_UINT2",
            "test_castlike_FLOAT16_to_UINT2_expanded",
            "test_castlike_FLOAT_to_UINT2",
            "test_castlike_FLOAT_to_UINT2_expanded",
            "test_castlike_UINT2_to_FLOAT",
            "test_castlike_UINT2_to_FLOAT16",
            "test_castlike_UINT2_to_FLOAT16_expanded",
            "test_castlike_UINT2_to_FLOAT_expanded",
            "test_castlike_UINT2_to_UINT8",
            "test_castlike_UINT2_to_UINT8_expanded",
        ] { reasons[name] = "element type uint2 is not one Strata computes with" }
        for name in [
            "test_cast_FLOAT16_to_UINT4",
            "test_cast_FLOAT_to_UINT4",
            "test_cast_UINT4_to_FLOAT",
            "test_cast_UINT4_to_FLOAT16",
            "test_cast_UINT4_to_UINT8",
            "test_castlike_FLOAT16_to_UINT4",
            "test_castlike_FLOAT16_to_UINT4_expanded",
            "test_castlike_FLOAT_to_UINT4",
            "test_castlike_FLOAT_to_UINT4_expanded",
            "test_castlike_UINT4_to_FLOAT",
            "test_castlike_UINT4_to_FLOAT16",
            "test_castlike_UINT4_to_FLOAT16_expanded",
            "test_castlike_UINT4_to_FLOAT_expanded",
            "test_castlike_UINT4_to_UINT8",
            "test_castlike_UINT4_to_UINT8_expanded",
        ] { reasons[name] = "element type uint4 is not one Strata computes with" }
        for name in [
            "test_cast_FLOAT_to_BFLOAT16",
            "test_castlike_FLOAT_to_BFLOAT16",
            "test_castlike_FLOAT_to_BFLOAT16_expanded",
        ] { reasons[name] = "element type bfloat16 is not one Strata computes with" }
        for name in [
            "test_cast_e8m0_FLOAT16_to_FLOAT8E8M0",
            "test_cast_e8m0_FLOAT8E8M0_to_FLOAT",
            "test_cast_e8m0_FLOAT8E8M0_to_FLOAT16",
            "test_cast_e8m0_FLOAT_to_FLOAT8E8M0",
        ] { reasons[name] = "element type float8e8m0 is not one Strata computes with" }
        for name in [
            "test_identity_opt",
            "test_identity_sequence",
        ] { reasons[name] = "optional and sequence values are not supported" }
        // Semantics outside an inference runtime.
        for name in [
            "test_training_dropout",
            "test_training_dropout_default",
            "test_training_dropout_default_mask",
            "test_training_dropout_mask",
        ] { reasons[name] = "training-mode Dropout draws a random mask; Strata runs inference only" }
        // Gaps of the heavy kernels (Conv, Pool, Gemm, Resize families); each should come off this list when fixed.
        for name in [
            "test_attention_4d_fp16_expanded",
            "test_attention_4d_gqa_with_past_and_present_fp16_expanded",
            "test_causal_conv_with_state_fp16_expanded",
            "test_causal_conv_with_state_silu_fp16_expanded",
            "test_flexattention_double_expanded_ver26",
            "test_flexattention_fp16_expanded_ver26",
        ] { reasons[name] = "float16/float64 MatMul and Conv are not implemented (float32 only)" }
        for name in [
            "test_averagepool_3d_default",
            "test_averagepool_3d_dilations_large_count_include_pad_is_0_ceil_mode_is_False",
            "test_averagepool_3d_dilations_large_count_include_pad_is_0_ceil_mode_is_True",
            "test_averagepool_3d_dilations_large_count_include_pad_is_1_ceil_mode_is_False",
            "test_averagepool_3d_dilations_large_count_include_pad_is_1_ceil_mode_is_True",
            "test_averagepool_3d_dilations_small",
            "test_maxpool_3d_default",
            "test_maxpool_3d_dilations",
            "test_maxpool_3d_dilations_use_ref_impl",
            "test_maxpool_3d_dilations_use_ref_impl_large",
        ] { reasons[name] = "3-D pooling is not implemented" }
        for name in [
            "test_convtranspose_3d",
        ] { reasons[name] = "3-D ConvTranspose is not implemented" }
        for name in [
            "test_maxpool_2d_uint8",
        ] { reasons[name] = "MaxPool on uint8 is not implemented" }
        for name in [
            "test_resize_tf_crop_and_resize",
            "test_resize_tf_crop_and_resize_axes_2_3",
            "test_resize_tf_crop_and_resize_axes_3_2",
            "test_resize_tf_crop_and_resize_extrapolation_value",
        ] { reasons[name] = "Resize coordinate_transformation_mode tf_crop_and_resize is not implemented" }
        return reasons
    }()

    /// Cases that fail on some machines only, run as intermittent known issues. With `STRATA_GEMM=blas`,
    /// light_squeezenet's last conv has 1,000 identical output channels whose sums are near 1e10, and the
    /// reference softmax of those equal logits is a uniform 0.001. On an AMD EPYC (OpenBLAS's Zen kernels) the
    /// last four channels come out one unit in the last place (8,192) higher than the others, so the softmax
    /// puts 0.25 on each of them; on the machines CI ran on before, all 1,000 came out equal. The AVX2 kernels
    /// compute every channel alike and pass everywhere.
    static let machineDependent: [String: String] = {
        guard ProcessInfo.processInfo.environment["STRATA_GEMM"] == "blas" else { return [:] }
        return ["light_squeezenet": "OpenBLAS sums its last channels in another order; the softmax is of equal 1e10 logits"]
    }()
}
