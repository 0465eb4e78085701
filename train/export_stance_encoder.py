"""Export the fine-tuned stance encoder (train/train_stance_encoder.py --out DIR) to an int8 ONNX file for run time.

    python train/export_stance_encoder.py DIR [--models according/link/models]

Writes stance_encoder.int8.onnx (dynamic int8 quantization with onnxruntime), which
`according.link.stance_encoder.StanceEncoder` runs with onnxruntime and tokenizers; the tokenizer is the span
tagger's file (the base encoder's word pieces, the same for both). Needs torch, transformers, onnx and onnxruntime.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "train"))

from according.link import stance_encoder as se  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model_dir", type=Path)
    ap.add_argument("--models", type=Path, default=ROOT / "according/link/models")
    args = ap.parse_args()
    import torch
    from transformers import AutoModelForSequenceClassification

    from onnx_int8 import export_int8

    torch.set_num_threads(1)
    model = AutoModelForSequenceClassification.from_pretrained(str(args.model_dir))
    ids = torch.ones((2, 12), dtype=torch.long)
    pieces = {0: "batch", 1: "pieces"}
    export_int8(model, {"input_ids": ids, "attention_mask": ids, "token_type_ids": torch.zeros_like(ids)},
                {"input_ids": pieces, "attention_mask": pieces, "token_type_ids": pieces, "logits": {0: "batch"}},
                args.models / se.ONNX_MODEL, per_channel=True)


if __name__ == "__main__":
    main()
