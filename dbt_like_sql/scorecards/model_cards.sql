-- description: Every collected model's card, one per model id: the Hugging Face card, else the ModelScope one. An id on both platforms (a mirror, as OSIR's merge treats it) gets the Hugging Face card, whose listing gives more of the factors.
-- deps: hf_model_cards, modelscope_model_cards
-- materialized: view
SELECT * FROM hf_model_cards
UNION ALL BY NAME
SELECT m.* FROM modelscope_model_cards AS m
WHERE NOT EXISTS (SELECT 1 FROM hf_model_cards AS h WHERE h.month = m.month AND lower(h.model) = lower(m.model))
