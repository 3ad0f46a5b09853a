-- Deployment slots are rows of sites: resource_key '…/sites/{app}/slots/{slot}', name '{app}-{slot}' (the slot's
-- host label, global like a site's). A slot given another slot's sticky settings by applySlotConfig (a swap with
-- preview) keeps what it had here, for resetSlotConfig or the swap that completes it.
alter table sites add column swap_preview jsonb; -- {targetSlot, appSettings, connectionStrings} or null
