import Scene
import Testing

@Suite struct LayerLabelsTests {
    @Test func theModelScopeIsDroppedAndTheFrameworkLayerKept() {
        let names = ["Conv__120", "resnet_small_1/stem_relu_1/Relu", "resnet_small_1/block1_add_1/Add",
                     "resnet_small_1/stem_bn_1/batchnorm/mul_1__84"]
        let labels = LayerLabels.short(for: names)
        #expect(labels["Conv__120"] == "Conv__120")
        #expect(labels["resnet_small_1/stem_relu_1/Relu"] == "stem_relu_1")
        #expect(labels["resnet_small_1/block1_add_1/Add"] == "block1_add_1")
        #expect(labels["resnet_small_1/stem_bn_1/batchnorm/mul_1__84"] == "stem_bn_1")
    }

    @Test func layersSharingAFrameworkLayerKeepTheirLastParts() {
        let labels = LayerLabels.short(for: ["m/gap_1/Mean", "m/gap_1/Mean_Squeeze__173", "m/dense_1/MatMul"])
        #expect(labels["m/gap_1/Mean"] == "gap_1/Mean")
        #expect(labels["m/gap_1/Mean_Squeeze__173"] == "gap_1/Mean_Squeeze__173")
        #expect(labels["m/dense_1/MatMul"] == "dense_1")
    }

    @Test func differentScopesKeepTheirLastTwoParts() {
        let labels = LayerLabels.short(for: ["a/b/c/Relu", "x/y/Conv", "plain"])
        #expect(labels["a/b/c/Relu"] == "c/Relu")
        #expect(labels["x/y/Conv"] == "y/Conv")
        #expect(labels["plain"] == "plain")
    }
}
