// The timm fine-tuning file the benchmarks open (`bench:editor`, `bench:timm-worker`), as people write them: a
// pretrained backbone, frozen, a new head.
export const TIMM_FILE = [
  'import torch', 'import torch.nn as nn', 'import timm', '',
  'model = timm.create_model("resnet50", pretrained=True, num_classes=1000)',
  'for p in model.parameters():', '    p.requires_grad = False',
  'model.fc = nn.Linear(model.fc.in_features, 10)', '',
  'x = torch.randn(1, 3, 224, 224)', 'y = model(x)', '',
].join('\n');
