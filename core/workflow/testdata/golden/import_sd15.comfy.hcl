render "sd15" {
  workflow = {
    "3" = {
      class_type = "KSampler"
      inputs = {
        cfg          = 8
        denoise      = 1
        latent_image = ["5", 0]
        model        = ["4", 0]
        negative     = ["7", 0]
        positive     = ["6", 0]
        sampler_name = "euler"
        scheduler    = "normal"
        seed         = 42
        steps        = 20
      }
    }
    "4" = {
      class_type = "CheckpointLoaderSimple"
      inputs = {
        ckpt_name = "v1-5-pruned-emaonly.safetensors"
      }
    }
    "5" = {
      class_type = "EmptyLatentImage"
      inputs = {
        batch_size = 1
        height     = 512
        width      = 512
      }
    }
    "6" = {
      class_type = "CLIPTextEncode"
      inputs = {
        clip = ["4", 1]
        text = "a lighthouse at dusk"
      }
      _meta = {
        title = "Negative (mislabelled)"
      }
    }
    "7" = {
      class_type = "CLIPTextEncode"
      inputs = {
        clip = ["4", 1]
        text = "blurry, text"
      }
      _meta = {
        title = "Positive (mislabelled)"
      }
    }
    "8" = {
      class_type = "VAEDecode"
      inputs = {
        samples = ["3", 0]
        vae     = ["4", 2]
      }
    }
    "9" = {
      class_type = "SaveImage"
      inputs = {
        filename_prefix = "ComfyUI"
        images          = ["8", 0]
      }
    }
  }

  params = {
    batch_size      = 1
    cfg             = 8
    ckpt_name       = "v1-5-pruned-emaonly.safetensors"
    denoise         = 1
    filename_prefix = "ComfyUI"
    height          = 512
    negative_prompt = "blurry, text"
    prompt          = "a lighthouse at dusk"
    sampler_name    = "euler"
    scheduler       = "normal"
    seed            = 42
    steps           = 20
    width           = 512
  }
}
