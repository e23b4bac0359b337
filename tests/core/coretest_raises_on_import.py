"""A plugin module that cannot even be imported (a test sample for the registry's failure list)."""
raise RuntimeError("示例插件模块导入即失败 (this sample plugin module fails on import)")
