"""Export the fine-tuned span tagger (train/train_span_tagger.py --out DIR) to an int8 ONNX file for run time.

    python train/export_span_tagger.py DIR [--models according/extract/models]

Writes span_tagger.int8.onnx (dynamic int8 quantization with onnxruntime) and span_tagger.tokenizer.json (the base
encoder's word pieces), which `according.extract.span_tagger.OnnxRefiner` runs with onnxruntime and tokenizers.
Needs torch, transformers, onnx and onnxruntime.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "train"))

from according.extract import span_tagger as st  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model_dir", type=Path)
    ap.add_argument("--models", type=Path, default=ROOT / "according/extract/models")
    args = ap.parse_args()
    import torch
    from transformers import AutoModelForTokenClassification

    from onnx_int8 import export_int8
    from train_span_tagger import base_model_dir

    torch.set_num_threads(1)
    model = AutoModelForTokenClassification.from_pretrained(str(args.model_dir))
    ids = torch.ones((2, 12), dtype=torch.long)
    export_int8(model, {"input_ids": ids, "attention_mask": torch.ones_like(ids)},
                {"input_ids": {0: "batch", 1: "pieces"}, "attention_mask": {0: "batch", 1: "pieces"},
                 "logits": {0: "batch", 1: "pieces"}}, args.models / st.ONNX_MODEL)
    shutil.copy(base_model_dir() / "tokenizer.json", args.models / st.TOKENIZER)


if __name__ == "__main__":
    main()
