"""What every POS API view shares: key authentication, the scope check, the error shape, hostile input refused."""

from __future__ import annotations

from typing import Any

from rest_framework.generics import GenericAPIView

from ..authentication import ApiKeyAuthentication, HasApiKey
from ..input_guard import PosApiMetadata, PosJsonParser, check_request_text


class PosApiView(GenericAPIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasApiKey]
    parser_classes = [PosJsonParser]
    metadata_class = PosApiMetadata

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # the key first: a stranger learns nothing about the input
        check_request_text(request.path, request.query_params)
