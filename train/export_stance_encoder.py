"""Export the fine-tuned stance encoder (train/train_stance_encoder.py --out DIR) to an int8 ONNX file for run time.

    python train/export_stance_encoder.py DIR [--models according/link/models]

Writes stance_encoder.int8.onnx (dynamic int8 quantization with onnxruntime), which
`according.link.stance_encoder.StanceEncoder` runs with onnxruntime and tokenizers; the tokenizer is the span
tagger's file (the base encoder's word pieces, the same for both). Needs torch, transformers, onnx and onnxruntime.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from according.link import stance_encoder as se  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model_dir", type=Path)
    ap.add_argument("--models", type=Path, default=ROOT / "according/link/models")
    args = ap.parse_args()
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModelForSequenceClassification

    torch.set_num_threads(1)
    model = AutoModelForSequenceClassification.from_pretrained(str(args.model_dir))
    model.eval()
    ids = torch.ones((2, 12), dtype=torch.long)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "encoder.onnx"
        torch.onnx.export(model, (ids, ids, torch.zeros_like(ids)), str(fp32),
                          input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
                          opset_version=17, dynamo=False,
                          dynamic_axes={name: {0: "batch", 1: "pieces"}
                                        for name in ("input_ids", "attention_mask", "token_type_ids")}
                          | {"logits": {0: "batch"}})
        out = args.models / se.ONNX_MODEL
        quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True)
    print(f"{out}: {out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
