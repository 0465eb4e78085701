"""Export a fine-tuned torch model to the int8 ONNX file `according` runs with onnxruntime, no torch: the one way
both export scripts (train/export_span_tagger.py, train/export_stance_encoder.py) write their model.

Needs torch, onnx and onnxruntime.
"""
from __future__ import annotations

import tempfile
from pathlib import Path


def export_int8(model, inputs: dict, dynamic_axes: dict[str, dict[int, str]], out: Path,
                per_channel: bool = False) -> None:
    """Trace `model` on `inputs` (input name -> example tensor, in the order `forward` takes them) to ONNX
    (opset 17), its output named "logits", with `dynamic_axes` free; then quantize its weights to int8
    (onnxruntime's dynamic quantization, one scale per channel with `per_channel`) into `out`."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model.onnx"
        torch.onnx.export(model, tuple(inputs.values()), str(fp32), input_names=list(inputs),
                          output_names=["logits"], opset_version=17, dynamo=False, dynamic_axes=dynamic_axes)
        quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=per_channel)
    print(f"{out}: {out.stat().st_size / 1e6:.1f} MB")
