-- Small hand-made tables for the search cases (search_cases.toml), with the names and columns of the table
-- contracts: leaderboard_models and model_scorecards as the leaderboard and scorecards domains write them,
-- merged_model_repos, merged_dataset_repos and influence_scores as the graph writes them.
CREATE TABLE leaderboard_models (
    month DATE, model VARCHAR, author VARCHAR, average DOUBLE, ifeval DOUBLE, bbh DOUBLE, math DOUBLE, gpqa DOUBLE, musr DOUBLE,
    mmlu_pro DOUBLE, type VARCHAR, architecture VARCHAR, precision VARCHAR, weight_type VARCHAR, license VARCHAR, params_b DOUBLE,
    likes BIGINT, merged BOOLEAN, moe BOOLEAN, flagged BOOLEAN, official_provider BOOLEAN, available_on_hub BOOLEAN,
    upload_date DATE, submission_date DATE, generation INTEGER, base_model VARCHAR
);
INSERT INTO leaderboard_models VALUES
    ('2025-03-01', 'meta-llama/Llama-2-7b-hf', 'meta-llama', 8.7, 25.2, 10.4, 1.4, 2.3, 3.1, 9.6, 'pretrained', 'LlamaForCausalLM', 'float16', 'Original', 'llama2', 6.74, 2000, false, false, false, true, true, '2023-07-13', '2024-06-12', 0, NULL),
    ('2025-03-01', 'meta-llama/Llama-2-13b-hf', 'meta-llama', 11.0, 24.8, 17.2, 1.2, 4.1, 3.4, 15.3, 'pretrained', 'LlamaForCausalLM', 'float16', 'Original', 'llama2', 13.0, 600, false, false, false, true, true, '2023-07-13', '2024-06-12', 0, NULL),
    ('2025-03-01', 'meta-llama/Llama-2-70b-hf', 'meta-llama', 18.0, 24.1, 35.9, 3.1, 9.2, 7.6, 30.1, 'pretrained', 'LlamaForCausalLM', 'bfloat16', 'Original', 'llama2', 68.98, 800, false, false, false, true, true, '2023-07-11', '2024-06-12', 0, NULL),
    ('2025-03-01', 'meta-llama/Meta-Llama-3-8B-Instruct', 'meta-llama', 23.9, 74.1, 28.2, 8.7, 1.2, 1.6, 29.6, 'chat', 'LlamaForCausalLM', 'bfloat16', 'Original', 'llama3', 8.03, 3500, false, false, false, true, true, '2024-04-17', '2024-06-12', 0, NULL),
    ('2025-03-01', 'mistralai/Mistral-7B-v0.1', 'mistralai', 14.5, 23.9, 22.0, 2.9, 5.6, 10.7, 22.4, 'pretrained', 'MistralForCausalLM', 'bfloat16', 'Original', 'apache-2.0', 7.24, 3400, false, false, false, true, true, '2023-09-20', '2024-06-12', 0, NULL),
    ('2025-03-01', 'Qwen/Qwen2.5-7B-Instruct', 'Qwen', 35.2, 75.9, 34.9, 50.0, 5.5, 8.5, 36.5, 'chat', 'Qwen2ForCausalLM', 'bfloat16', 'Original', 'apache-2.0', 7.62, 500, false, false, false, true, true, '2024-09-16', '2024-09-18', 1, 'Qwen/Qwen2.5-7B'),
    ('2025-03-01', 'tiiuae/falcon-40b', 'tiiuae', 11.4, 24.9, 18.5, 1.8, 4.0, 5.5, 13.7, 'pretrained', 'FalconForCausalLM', 'bfloat16', 'Original', 'apache-2.0', 40.0, 2400, false, false, false, false, true, '2023-05-24', '2024-06-09', 0, NULL),
    ('2025-03-01', 'someone/llama-2-7b-slerp', 'someone', 12.0, 30.0, 15.0, 2.0, 3.0, 4.0, 12.0, 'merge', 'LlamaForCausalLM', 'bfloat16', 'Original', 'apache-2.0', 6.74, 3, true, false, false, false, true, '2024-08-01', '2024-08-02', 1, 'meta-llama/Llama-2-7b-hf'),
    ('2025-03-01', 'TheBloke/Llama-2-13B-GPTQ', 'TheBloke', 7.0, 20.0, 11.0, 1.0, 2.0, 3.0, 8.0, 'fine-tuned', 'LlamaForCausalLM', '4bit', 'Original', 'llama2', 2.03, 120, false, false, false, false, true, '2023-09-01', '2024-07-01', 1, 'meta-llama/Llama-2-13b-hf'),
    ('2025-03-01', 'EleutherAI/pythia-12b', 'EleutherAI', 5.9, 24.7, 4.9, 1.0, 0.5, 3.6, 2.0, 'pretrained', 'GPTNeoXForCausalLM', 'float16', 'Original', NULL, 12.0, 130, false, false, false, true, true, '2023-02-28', '2024-06-12', 0, NULL),
    ('2025-02-01', 'meta-llama/Llama-2-7b-chat-hf', 'meta-llama', 9.4, 39.9, 4.5, 0.8, 0.5, 3.5, 7.3, 'chat', 'LlamaForCausalLM', 'float16', 'Original', 'llama2', 6.74, 4000, false, false, false, true, true, '2023-07-13', '2024-06-12', 0, NULL);

CREATE TABLE model_scorecards (
    month DATE, model VARCHAR, org VARCHAR, platform VARCHAR, popularity DOUBLE, activity DOUBLE, operational DOUBLE, security DOUBLE,
    score DOUBLE, coverage DOUBLE, flags VARCHAR[], partial BOOLEAN
);
INSERT INTO model_scorecards VALUES
    ('2025-03-01', 'Qwen/Qwen2.5-7B-Instruct', 'Alibaba', 'HuggingFace', 9.1, 8.0, 7.5, 9.0, 8.4, 1.0, [], false),
    ('2025-03-01', 'qwen-community/Qwen2.5-7B-lnstruct', NULL, 'HuggingFace', 1.0, 2.0, 3.0, 1.5, 1.9, 0.8, ['typosquat:Qwen/Qwen2.5-7B-Instruct', 'no_license'], false),
    ('2025-03-01', 'meta-llama/Llama-3.1-8B', 'Meta', 'HuggingFace', 9.5, 7.0, 8.0, 8.5, 8.3, 1.0, ['gated'], false),
    ('2025-03-01', 'random/pickled-model', NULL, 'HuggingFace', 0.5, 0.0, 1.0, 0.0, 0.4, 0.6, ['unsafe_files', 'dangerous_pickle', 'no_license'], true),
    ('2025-03-01', 'ZhipuAI/glm-4-9b', 'Zhipu AI', 'ModelScope', 7.0, 6.5, 7.0, 8.0, 7.1, 0.9, [], false);

CREATE TABLE merged_model_repos (
    month DATE, org VARCHAR, name VARCHAR, account VARCHAR, platform VARCHAR, modality VARCHAR, downloads_last_month BIGINT, likes BIGINT,
    community BIGINT, descendants BIGINT, date_crawl DATE, platform_records BIGINT
);
INSERT INTO merged_model_repos VALUES
    ('2025-03-01', 'Meta', 'Llama-3.1-8B', 'meta-llama', 'HuggingFace', 'Language', 5400000, 1500, 120, 900, '2025-03-14', 1),
    ('2025-03-01', 'Meta', 'Llama-3.1-8B-Instruct', 'meta-llama', 'HuggingFace', 'Language', 6100000, 3900, 300, 1200, '2025-03-14', 1),
    ('2025-03-01', 'Alibaba', 'Qwen2-VL-7B', 'Qwen', 'HuggingFace', 'Multimodal', 800000, 400, 40, 60, '2025-03-14', 1),
    ('2025-03-01', 'Alibaba', 'Qwen2.5-7B', 'qwen', 'ModelScope', 'Language', 300000, 90, 10, 20, '2025-03-14', 2),
    ('2025-03-01', 'BAAI', 'bge-m3', 'BAAI', 'HuggingFace', 'Vector', 9000000, 2000, 150, 300, '2025-03-14', 1);

CREATE TABLE merged_dataset_repos (
    month DATE, org VARCHAR, name VARCHAR, account VARCHAR, platform VARCHAR, modality VARCHAR, lifecycle VARCHAR, downloads_last_month BIGINT,
    likes BIGINT, community BIGINT, dataset_usage BIGINT, date_crawl DATE, platform_records BIGINT
);
INSERT INTO merged_dataset_repos VALUES
    ('2025-03-01', 'BAAI', 'Infinity-Instruct', 'BAAI', 'HuggingFace', 'Language', 'Fine-tuning', 9000, 600, 20, 40, '2025-03-14', 1),
    ('2025-03-01', 'BAAI', 'CCI3-Data', 'BAAI', 'BAAIData', 'Language', 'Pre-training', 1200, NULL, NULL, 5, '2025-03-14', 1),
    ('2025-03-01', 'OpenDataLab', 'MinerU-data', 'OpenDataLab', 'OpenDataLab', 'Multimodal', 'Pre-training', 700, 10, NULL, 2, '2025-03-14', 1),
    ('2025-03-01', 'Alibaba', 'Chinese-Speech', 'damo', 'ModelScope', 'Speech', 'Evaluation', 300, 4, 1, 0, '2025-03-14', 1);

CREATE TABLE influence_scores (
    month DATE, view VARCHAR, org VARCHAR, org_position BIGINT, data DOUBLE, model DOUBLE, infra DOUBLE, eval DOUBLE, score DOUBLE,
    rank BIGINT, delta_rank BIGINT, previous_month DATE
);
INSERT INTO influence_scores VALUES
    ('2025-03-01', 'monthly', 'Alibaba', 1, 0.63, 1.0, 0.5, 0.63, 0.84, 1, 0, '2025-02-01'),
    ('2025-03-01', 'monthly', 'Meta', 2, 0.5, 0.63, 1.0, 0.5, 0.65, 2, 1, '2025-02-01'),
    ('2025-03-01', 'monthly', 'Zhipu AI (THUDM)', 3, 0.43, 0.5, 0.43, 1.0, 0.52, 3, -1, '2025-02-01'),
    ('2025-03-01', 'monthly', 'BAAI', 4, 1.0, 0.43, 0.39, 0.43, 0.51, 4, 0, '2025-02-01'),
    ('2025-03-01', 'accumulated', 'Meta', 2, 0.5, 1.0, 1.0, 0.5, 0.8, 1, NULL, NULL),
    ('2025-03-01', 'accumulated', 'BAAI', 4, 1.0, 0.63, 0.39, 0.43, 0.6, 2, NULL, NULL);
