"""What every POS API view shares: key authentication, the scope check, the error shape."""

from __future__ import annotations

from rest_framework.generics import GenericAPIView

from ..authentication import ApiKeyAuthentication, HasApiKey


class PosApiView(GenericAPIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasApiKey]
