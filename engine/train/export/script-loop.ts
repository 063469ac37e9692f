// The model, training and saving part of an exported script, in Python: the model imported from
// the user's file and checked against the run's parameters, initialised by the run's rules; the
// loop of engine/train/loop/train.ts in PyTorch (the same augmentation, normalisation, early
// stopping, divergence stop and test-time augmentation), on one device or under torchrun with
// DistributedDataParallel; and the weights saved as ConvLens saves them (safetensors, state_dict names).

export const PY_LOOP = String.raw`
def load_model():
    """The model the run trained: MODEL_ENTRY evaluated in MODEL_FILE's namespace (a class is instantiated)."""
    path = (HERE / MODEL_FILE).resolve()
    if not path.is_file():
        fail(f'{path} is missing: this script imports the model from it (edit MODEL_FILE)')
    # a file inside a package (folders with __init__.py) is imported as part of it, so its relative imports work
    package, top = [], path.parent
    while (top / '__init__.py').is_file():
        package.insert(0, top.name)
        top = top.parent
    sys.path.insert(0, str(top))
    module = importlib.import_module('.'.join(package + [path.stem]))
    model = eval(MODEL_ENTRY, vars(module))
    if isinstance(model, type):
        model = model()
    if not isinstance(model, nn.Module):
        fail(f'{MODEL_ENTRY} in {path} is a {type(model).__name__}, not an nn.Module')
    return model


def scores(out):
    """The class scores: what forward() returned, or its first tensor (depth-first) when it returned several, as ConvLens trained."""
    if torch.is_tensor(out):
        return out
    for item in out.values() if isinstance(out, dict) else out if isinstance(out, (tuple, list)) else ():
        found = scores(item)
        if found is not None:
            return found
    return None


def initialise(model, shape):
    """Checks the model against the run's parameters, then draws each by the run's rule and freezes what the run froze."""
    if any(isinstance(p, nn.parameter.UninitializedParameter) for p in model.parameters()):
        model.eval()  # Lazy* layers take their sizes from a first call
        with torch.no_grad():
            model(torch.zeros(1, *shape))
        model.train()
    params = dict(model.named_parameters())
    differ = [n for n in INIT if n not in params] + [n for n in params if n not in INIT]
    differ += [f'{n} {tuple(params[n].shape)} (the run: {INIT[n][0]})' for n in INIT if n in params and tuple(params[n].shape) != INIT[n][0]]
    if differ:
        fail(f'{MODEL_FILE} has changed since the run: its parameters differ ({", ".join(differ[:5])}); export the run again')
    refrozen = []
    with torch.no_grad():
        for name, (_, rule, a, trains) in INIT.items():
            p = params[name]
            if rule == 'uniform':
                p.uniform_(-a, a)
            elif rule == 'normal':
                p.normal_(0, a)
            else:
                p.fill_(a)
            if p.requires_grad != trains:
                refrozen.append(name)
            p.requires_grad_(trains)
    if refrozen:
        log(f'note: requires_grad set as the run had it for {", ".join(refrozen[:5])}{" …" if len(refrozen) > 5 else ""}')


def make_optimizer(params):
    if not params:
        return None
    if OPTIMIZER == 'sgd':
        return torch.optim.SGD(params, lr=LR, momentum=MOMENTUM, dampening=DAMPENING, weight_decay=WEIGHT_DECAY, nesterov=NESTEROV)
    adam = torch.optim.Adam if OPTIMIZER == 'adam' else torch.optim.AdamW  # AdamW: decoupled weight decay
    return adam(params, lr=LR, betas=BETAS, eps=EPS, weight_decay=WEIGHT_DECAY)


def make_schedule(optimizer):
    """Stepped once per epoch, as ConvLens steps its schedules."""
    if optimizer is None or LR_SCHEDULE == 'none':
        return None
    if LR_SCHEDULE == 'step':
        return torch.optim.lr_scheduler.StepLR(optimizer, step_size=STEP_SIZE, gamma=GAMMA)
    return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS, eta_min=0)


def channel_stats(x):
    """Per-channel mean and standard deviation of the training images (a constant channel keeps std 1)."""
    flat = x.transpose(0, 1).reshape(x.shape[1], -1).double()
    mean = flat.mean(1)
    std = (flat.pow(2).mean(1) - mean.pow(2)).clamp_min(0).sqrt()
    std[std == 0] = 1
    return mean.tolist(), std.tolist()


def augment(x, pad, generator):
    """Random crops (zero padding, then a random window) and mirror images, each image on its own."""
    n, _, h, w = x.shape
    crop, flip = AUGMENT['crop'], AUGMENT['flip']
    oy = torch.randint(0, 2 * pad + 1, (n,), generator=generator) if crop else torch.full((n,), pad)
    ox = torch.randint(0, 2 * pad + 1, (n,), generator=generator) if crop else torch.full((n,), pad)
    mirror = torch.rand(n, generator=generator) < 0.5 if flip else torch.zeros(n, dtype=torch.bool)
    oy, ox, mirror = oy.to(x.device), ox.to(x.device), mirror.to(x.device)
    padded = F.pad(x, (pad, pad, pad, pad))
    rows = (oy[:, None] + torch.arange(h, device=x.device))[:, None, :, None].expand(-1, x.shape[1], -1, padded.shape[3])
    cols = torch.where(mirror[:, None], torch.arange(w - 1, -1, -1, device=x.device), torch.arange(w, device=x.device)) + ox[:, None]
    return padded.gather(2, rows).gather(3, cols[:, None, None, :].expand(-1, x.shape[1], h, -1))


def view(x, pad, oy, ox, mirror):
    """One fixed view: the window at (oy, ox) of the zero-padded images, mirrored or not."""
    h, w = x.shape[2:]
    out = F.pad(x, (pad, pad, pad, pad))[:, :, oy:oy + h, ox:ox + w]
    return out.flip(3) if mirror else out


def tta_views(pad):
    """The views of the augmentations the run trained with: the 4 corner crops and the centre, each also mirrored."""
    offsets = [(0, 0), (0, 2 * pad), (2 * pad, 0), (2 * pad, 2 * pad), (pad, pad)] if AUGMENT['crop'] else [(pad, pad)]
    return [(oy, ox, m) for oy, ox in offsets for m in ((False, True) if AUGMENT['flip'] else (False,))]


def all_sum(values, device):
    t = torch.tensor(values, dtype=torch.float64, device=device)
    if WORLD > 1:
        dist.all_reduce(t)
    return t.tolist()


@torch.no_grad()
def evaluate(model, split, norm, pad, device, tta=False):
    """Loss and accuracy in eval mode; with TTA the softmax outputs of the views are averaged. Each process takes a share."""
    model.eval()
    x, y = split
    views = tta_views(pad) if tta else [(pad, pad, False)]
    loss = correct = 0.0
    mine = torch.arange(RANK, len(y), WORLD)
    for start in range(0, len(mine), 256):
        idx = mine[start:start + 256]
        xb, yb = x[idx].to(device), y[idx].to(device)
        probs = 0
        for oy, ox, mirror in views:
            logits = scores(model(norm(view(xb, pad, oy, ox, mirror))))
            if len(views) == 1:
                loss += F.cross_entropy(logits, yb, reduction='sum').item()
                probs = logits
            else:
                probs = probs + logits.softmax(1) / len(views)
        if len(views) > 1:
            loss -= probs.gather(1, yb[:, None]).clamp_min(1e-30).log().sum().item()
        correct += (probs.argmax(1) == yb).sum().item()
    loss, correct, n = all_sum([loss, correct, len(mine)], device)
    model.train()
    return loss / max(n, 1), correct / max(n, 1)


def snapshot(model):
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def save_weights(model, path, metrics):
    """The state_dict (PyTorch names): safetensors as ConvLens writes it, or torch.save for .pt/.pth; metrics beside it."""
    path = Path(path)
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    if path.suffix in ('.pt', '.pth'):
        buffer = io.BytesIO()
        torch.save(state, buffer)
        data = buffer.getvalue()
    else:
        header, blobs, offset = {'__metadata__': {'format': 'pt', 'model': MODEL_NAME}}, [], 0
        for name, t in state.items():
            t, dtype = (t.float(), 'F32') if t.is_floating_point() else (t.long(), 'I64')
            blob = t.numpy().astype('<f4' if dtype == 'F32' else '<i8').tobytes()
            header[name] = {'dtype': dtype, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(blob)]}
            blobs.append(blob)
            offset += len(blob)
        head = json.dumps(header, separators=(',', ':'))
        head += ' ' * ((8 - (len(head.encode()) + 8) % 8) % 8)
        data = struct.pack('<Q', len(head.encode())) + head.encode() + b''.join(blobs)
    write_atomic(path, data)
    stem = path.name[:-len(path.suffix)] if path.suffix in ('.safetensors', '.pt', '.pth') else path.name
    write_atomic(path.with_name(stem + '.metrics.json'), json.dumps(metrics, indent=1).encode())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--device', default='auto', help='auto (CUDA when there is a GPU), cpu, cuda or cuda:N')
    parser.add_argument('--data', default=None, help='where the data is, instead of the run\'s (see load_data)')
    parser.add_argument('--save', default=str(HERE / SAVE), help='the weights file (.safetensors, or .pt/.pth for torch.save)')
    args = parser.parse_args()

    device = torch.device('cuda' if args.device == 'auto' and torch.cuda.is_available() else 'cpu' if args.device == 'auto' else args.device)
    if device.type == 'cuda':
        if not torch.cuda.is_available():
            fail(f'--device {args.device}: PyTorch sees no CUDA GPU here')
        device = torch.device('cuda', device.index if device.index is not None else LOCAL_RANK)
        torch.cuda.set_device(device)
    if WORLD > 1:
        dist.init_process_group('nccl' if device.type == 'cuda' else 'gloo')

    train, val, test, class_names, classes = prepare_data(args.data)
    shape = tuple(train[0].shape[1:])
    log(f'training {MODEL_NAME} on {DATA_LABEL}: {len(train[1])} images of {shape} ({len(val[1]) if val else 0} for validation), '
        f'{WORLD} process(es) on {device}')
    mean, std = channel_stats(train[0])
    mean_t, std_t = torch.tensor(mean, device=device).view(1, -1, 1, 1), torch.tensor(std, device=device).view(1, -1, 1, 1)

    def norm(x):
        return (x - mean_t) / std_t

    pad = CROP_PADDING if CROP_PADDING is not None else max(1, math.floor(shape[1] / 8 + 0.5))

    torch.manual_seed(SEED)  # the same first weights in every process
    model = load_model()
    initialise(model, shape)
    model.to(device)
    trained = [p for p in model.parameters() if p.requires_grad]
    if WORLD > 1 and device.type == 'cuda':
        model = nn.SyncBatchNorm.convert_sync_batchnorm(model)  # BatchNorm statistics over the whole batch, as in the run
    net = DistributedDataParallel(model, device_ids=[device] if device.type == 'cuda' else None,
                                  find_unused_parameters=UNUSED_PARAMETERS) if WORLD > 1 and trained else model
    optimizer = make_optimizer(trained)
    schedule = make_schedule(optimizer)
    torch.manual_seed(SEED + RANK)  # dropout and augmentation differ between processes
    generator = torch.Generator().manual_seed(SEED + RANK)

    per_process = max(1, BATCH_SIZE // WORLD)
    if per_process * WORLD != BATCH_SIZE:
        log(f'note: batches of {per_process} in each of {WORLD} processes: {per_process * WORLD} images per step, the run took {BATCH_SIZE}')
    sampler = DistributedSampler(TensorDataset(*train), num_replicas=WORLD, rank=RANK, shuffle=True, seed=SEED)
    loader = DataLoader(TensorDataset(*train), batch_size=per_process, sampler=sampler, pin_memory=device.type == 'cuda')
    loss_limit = 1000 * math.log(max(classes, 2))  # a loss this far above chance is a diverged run

    epochs, best, best_val, last_good = [], {'loss': math.inf, 'epoch': 0, 'state': None}, math.inf, None
    step, stopped_early, diverged, cancelled = 0, False, None, False
    try:
        for epoch in range(EPOCHS):
            t0, lr = time.time(), optimizer.param_groups[0]['lr'] if optimizer else LR
            sampler.set_epoch(epoch)
            net.train()
            sums = [0.0, 0.0, 0.0]
            for xb, yb in loader:
                xb, yb = xb.to(device, non_blocking=True), yb.to(device, non_blocking=True)
                if AUGMENT['crop'] or AUGMENT['flip']:
                    xb = augment(xb, pad, generator)
                logits = scores(net(norm(xb)))
                loss = F.cross_entropy(logits, yb)
                step += 1
                value = loss.item()
                bad = all_sum([0.0 if math.isfinite(value) and value <= loss_limit else 1.0], device)[0] if WORLD > 1 \
                    else float(not (math.isfinite(value) and value <= loss_limit))
                if bad:
                    why = f'the loss became {value:.3g} at step {step} (epoch {epoch + 1}): lower the learning rate (now {lr}) or check the data'
                    if last_good is None:
                        fail(why)
                    diverged = f'{why}; training stopped and kept the weights of epoch {last_good[0]}'
                    break
                if optimizer:
                    optimizer.zero_grad(set_to_none=True)
                    loss.backward()
                    optimizer.step()
                sums = [sums[0] + value * len(yb), sums[1] + (logits.argmax(1) == yb).sum().item(), sums[2] + len(yb)]
            if diverged:
                break
            if schedule:
                schedule.step()
            loss_sum, correct, seen = all_sum(sums, device)
            val_loss, val_acc = evaluate(model, val, norm, pad, device) if val else (None, None)
            m = {'epoch': epoch + 1, 'trainLoss': loss_sum / seen, 'trainAccuracy': correct / seen, 'valLoss': val_loss,
                 'valAccuracy': val_acc, 'seconds': time.time() - t0, 'lr': lr}
            epochs.append(m)
            last_good = (epoch + 1, snapshot(model))
            log(f'epoch {epoch + 1}/{EPOCHS}: loss {m["trainLoss"]:.4f}, accuracy {100 * m["trainAccuracy"]:.2f} %'
                + (f', validation loss {val_loss:.4f}, accuracy {100 * val_acc:.2f} %' if val else '') + f', lr {lr:g}, {m["seconds"]:.1f} s')
            if val_loss is None or val_loss < best_val:  # the best weights so far: what a crash must not take away
                best_val = math.inf if val_loss is None else val_loss
                if RANK == 0:
                    save_weights(model, args.save, {'model': MODEL_NAME, 'status': 'interrupted', 'epochs': epochs, 'bestEpoch': epoch + 1,
                                                    'normalization': {'mean': mean, 'std': std}})
            if EARLY_STOPPING is not None and val:
                if val_loss < best['loss']:
                    best = {'loss': val_loss, 'epoch': epoch + 1, 'state': snapshot(model)}
                elif epoch + 1 - best['epoch'] >= EARLY_STOPPING:
                    stopped_early = True
                    break
    except KeyboardInterrupt:
        cancelled = True
        log(f'\ncancelled after {step} steps')

    best_epoch = len(epochs)
    if best['state'] is not None:
        model.load_state_dict(best['state'])
        best_epoch = best['epoch']
        if stopped_early:
            log(f'stopped early; restored the weights of epoch {best_epoch}')
    elif diverged and last_good:
        model.load_state_dict(last_good[1])
        best_epoch = last_good[0]
        log(f'{Path(__file__).name}: {diverged}')
    test_acc = test_tta = None
    if test is not None and len(test[1]):
        test_acc = evaluate(model, test, norm, pad, device)[1]
        if TTA and (AUGMENT['crop'] or AUGMENT['flip']):
            test_tta = evaluate(model, test, norm, pad, device, tta=True)[1]
    if RANK == 0:
        status = 'stopped' if cancelled or diverged else 'completed'
        save_weights(model, args.save, {
            'model': MODEL_NAME, 'data': DATA_LABEL, 'classNames': class_names, 'status': status, 'epochs': epochs,
            'bestEpoch': best_epoch, 'stoppedEarly': stopped_early, 'testAccuracy': test_acc, 'testAccuracyTTA': test_tta,
            'normalization': {'mean': mean, 'std': std}, 'diverged': diverged, 'processes': WORLD, 'device': str(device),
        })
        pct = '–' if test_acc is None else f'{100 * test_acc:.2f} %'
        tta = '' if not TTA else ', TTA not run (it replays the augmentation, and the run had none)' if test_tta is None \
            else f', with TTA {100 * test_tta:.2f} %'
        log(f'test accuracy {pct}{tta}; best epoch {best_epoch}; saved {args.save}')
    if WORLD > 1:
        dist.destroy_process_group()


if __name__ == '__main__':
    main()
`;
