"""Mesa's own batch_run works on the model: parameters as keywords, seeds through rng."""

from __future__ import annotations

import mesa
import pandas as pd

from anomie.model.model import AnomieModel


def test_mesa_batch_run_on_anomie_model():
    results = mesa.batch_run(
        AnomieModel,
        parameters={"n_citizens": 80, "social_workers_per_1000": [0.0, 37.5]},
        rng=[11, 12],
        max_steps=5,
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    df = pd.DataFrame(results)
    assert len(df) == 4
    assert set(df["social_workers_per_1000"]) == {0.0, 37.5}  # 0 and 3 posts at 80 citizens
    assert (df["Step"] == 5).all() and (df["n_citizens"] == 80).all()
    # same parameters and rng, same numbers: the run is a function of its seed
    again = pd.DataFrame(mesa.batch_run(AnomieModel, parameters={"n_citizens": 80, "social_workers_per_1000": [0.0, 37.5]},
                                        rng=[11, 12], max_steps=5, number_processes=1,
                                        data_collection_period=-1, display_progress=False))
    pd.testing.assert_frame_equal(df, again)
    assert df.loc[df["social_workers_per_1000"] == 0, "open_cases"].eq(0).all()
